package dev.tunewright.cli.adapters;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tunewright.cli.ApiCommand;
import dev.tunewright.cli.TeamApi;
import dev.tunewright.stack.StackException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "download", mixinStandardHelpOptions = true,
        description = "Download a version in PEFT's layout as a zip, check every file against the SHA-256 the registry"
                + " recorded, and optionally unpack it.")
public class DownloadAdapterCommand extends AdapterCommand {

    @Mixin
    VersionArgs args;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "Zip to write (default: NAME-vN.zip here).")
    Path out;

    @Option(names = "--extract", paramLabel = "DIR", description = "Also unpack the checked files into DIR (the adapter folder vLLM and PEFT load).")
    Path extract;

    @Override
    public Integer call() throws Exception {
        AdapterRef ref = args.ref();
        TeamApi teamApi = api.teamApi();
        JsonNode v = ref.resolve(teamApi);
        int number = v.path("version").asInt();
        Path zip = out != null ? out : Paths.get(ref.name() + "-v" + number + ".zip");
        teamApi.download(ref.versionPath(number) + "/download", zip);
        int files = verify(zip, v.path("artifact").path("files"));
        if (printedJson(ApiCommand.JSON.createObjectNode().put("adapter", ref.name()).put("version", number)
                .put("zip", zip.toString()).put("files", files).put("extracted_to", extract == null ? null : extract.toString()))) {
            return 0;
        }
        out().println("saved " + ref.name() + " v" + number + " to " + zip + " (" + files
                + " files, each matching the registered SHA-256)" + (extract == null ? "" : "; unpacked into " + extract));
        out().flush();
        return 0;
    }

    /** Checks every entry against the registry's file list (and unpacks it when asked); the same names, no more. */
    private int verify(Path zip, JsonNode registered) throws IOException {
        TreeSet<String> expected = new TreeSet<>();
        registered.fieldNames().forEachRemaining(expected::add);
        TreeSet<String> seen = new TreeSet<>();
        Path dir = extract == null ? null : Files.createDirectories(extract).toRealPath();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                String name = entry.getName();
                if (!registered.has(name)) {
                    throw new StackException(zip + ": " + name + " is not one of the registered files " + expected);
                }
                Path target = dir == null ? null : dir.resolve(name).normalize();
                if (target != null && !target.startsWith(dir)) {
                    throw new StackException(zip + ": " + name + " would be written outside " + dir);
                }
                String sha256 = copy(in, target);
                if (!sha256.equals(registered.path(name).path("sha256").asText())) {
                    throw new StackException(zip + ": " + name + " has SHA-256 " + sha256 + ", the registry recorded "
                            + registered.path(name).path("sha256").asText());
                }
                seen.add(name);
            }
        }
        if (!seen.equals(expected)) {
            expected.removeAll(seen);
            throw new StackException(zip + " lacks registered files " + expected);
        }
        return seen.size();
    }

    private static String copy(InputStream in, Path target) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (target == null) {
            in.transferTo(new DigestOutputStream(OutputStream.nullOutputStream(), digest));
        } else {
            Files.createDirectories(target.getParent());
            try (OutputStream file = new DigestOutputStream(Files.newOutputStream(target), digest)) {
                in.transferTo(file);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
