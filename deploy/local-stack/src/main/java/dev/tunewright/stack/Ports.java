package dev.tunewright.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Port checks done before anything starts, so a clash is reported up front instead of as a half-started stack. */
public final class Ports {

    private Ports() {
    }

    /** A port that was free a moment ago; tests use it to run side by side with a developer's own stack. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new StackException("cannot find a free TCP port: " + e.getMessage(), e);
        }
    }

    /**
     * Binds the wildcard address because the services listen on all interfaces: a port held by anyone on
     * any address would make them fail much later, with the cause buried in a log file.
     */
    public static boolean isAvailable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static void requireAvailable(int port, String component) {
        if (port < 1 || port > 65535) {
            throw new StackException("invalid port " + port + " for " + component);
        }
        if (!isAvailable(port)) {
            throw new StackException("port " + port + " for " + component + " is already in use");
        }
    }
}
