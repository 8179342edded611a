package dev.tunewright.trainer.worker;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Names this worker process in leases, events and logs: host and pid, so an operator can find it. */
final class WorkerIdentity {

    private WorkerIdentity() {
    }

    static String id() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        String id = host + "/" + ProcessHandle.current().pid();
        return id.length() <= 120 ? id : id.substring(id.length() - 120);
    }
}
