package dev.tunewright.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalPostgresTest {

    @TempDir
    Path state;

    @Test
    void keepsDataAcrossRestartsAndIgnoresAPidFileLeftByACrash() throws Exception {
        int port = Ports.free();
        Path data = state.resolve("postgres");
        Path log = state.resolve("logs/postgres.log");

        try (LocalPostgres postgres = new LocalPostgres(data, port, log, false)) {
            postgres.start();
            try (Connection connection = connect(postgres); Statement statement = connection.createStatement()) {
                statement.execute("CREATE TABLE kept (value text)");
                statement.execute("INSERT INTO kept VALUES ('still here')");
            }
        }
        assertThat(Ports.isAvailable(port)).isTrue();

        Files.writeString(data.resolve("postmaster.pid"), deadPid() + "\n" + data + "\n");
        try (LocalPostgres restarted = new LocalPostgres(data, port, log, false)) {
            restarted.start();
            try (Connection connection = connect(restarted); Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT value FROM kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("still here");
            }
        }
    }

    @Test
    void stopsAPostmasterOrphanedByAKilledLauncherSoTheNextStartGetsItsPort() throws Exception {
        int port = Ports.free();
        Path data = state.resolve("postgres");
        Path log = state.resolve("logs/postgres.log");
        LocalPostgres orphaned = new LocalPostgres(data, port, log, false);
        orphaned.start();
        long pid = orphaned.pid().orElseThrow();

        assertThat(LocalPostgres.stopOrphan(data, log)).contains(pid);

        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(data.resolve("postmaster.pid")).doesNotExist();
        assertThat(Ports.isAvailable(port)).isTrue();
        orphaned.stop();
    }

    @Test
    void refusesADataFolderOfAnotherMajorVersion() throws Exception {
        Path data = Files.createDirectories(state.resolve("postgres"));
        Files.writeString(data.resolve("PG_VERSION"), "14\n");

        LocalPostgres postgres = new LocalPostgres(data, Ports.free(), state.resolve("logs/postgres.log"), false);

        assertThatThrownBy(postgres::start)
                .isInstanceOf(StackException.class)
                .hasMessageContaining(data.toAbsolutePath().toString())
                .hasMessageContaining("PostgreSQL 14")
                .hasMessageContaining("PostgreSQL " + PostgresBinaries.majorVersion())
                .hasMessageNotContaining("\n");
        assertThat(postgres.isRunning()).isFalse();
    }

    private static Connection connect(LocalPostgres postgres) throws Exception {
        return DriverManager.getConnection(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD);
    }

    private static long deadPid() throws Exception {
        Process process = new ProcessBuilder("true").start();
        process.waitFor();
        return process.pid();
    }
}
