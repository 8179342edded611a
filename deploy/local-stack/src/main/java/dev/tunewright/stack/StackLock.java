package dev.tunewright.stack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

/**
 * One running stack per state dir. An OS file lock rather than a marker file: the kernel drops it when the
 * holder dies, however it dies, so a crash never leaves a lock that blocks the next start.
 */
public final class StackLock implements AutoCloseable {

    /**
     * POSIX record locks belong to the process, and closing any channel on the file drops them; probing a file
     * this JVM already holds must therefore never open it.
     */
    private static final Set<Path> HELD_HERE = new HashSet<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private StackLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock and records this process's pid in it, or explains who holds it. */
    public static StackLock acquire(StateDir stateDir) {
        Path file = stateDir.lockFile();
        synchronized (HELD_HERE) {
            if (HELD_HERE.contains(file)) {
                throw alreadyRunning(ProcessHandle.current().pid(), stateDir);
            }
            FileChannel channel = null;
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileLock lock = channel.tryLock();
                if (lock == null) {
                    channel.close();
                    throw alreadyRunning(holderPid(file), stateDir);
                }
                channel.truncate(0);
                channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
                channel.force(false);
                HELD_HERE.add(file);
                return new StackLock(file, channel, lock);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new StackException("cannot lock " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Whether some process, this one included, holds the lock of the state dir. */
    public static boolean isHeld(StateDir stateDir) {
        Path file = stateDir.lockFile();
        synchronized (HELD_HERE) {
            if (HELD_HERE.contains(file)) {
                return true;
            }
            if (!Files.exists(file)) {
                return false;
            }
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                FileLock probe = channel.tryLock();
                if (probe == null) {
                    return true;
                }
                probe.release();
                return false;
            } catch (OverlappingFileLockException e) {
                return true;
            } catch (IOException e) {
                throw new StackException("cannot read the lock " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The pid written by the holder; -1 when unknown. */
    public static long holderPid(Path lockFile) {
        try {
            return Long.parseLong(Files.readString(lockFile).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        synchronized (HELD_HERE) {
            try {
                if (lock.isValid()) {
                    lock.release();
                }
            } catch (IOException e) {
                // Closing the channel below releases the lock as well.
            } finally {
                closeQuietly(channel);
                HELD_HERE.remove(file);
            }
        }
    }

    private static StackException alreadyRunning(long pid, StateDir stateDir) {
        return new StackException("a stack is already running (pid " + (pid > 0 ? pid : "unknown") + ", state dir " + stateDir + ")");
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing left to release: the channel is unusable either way.
        }
    }
}
