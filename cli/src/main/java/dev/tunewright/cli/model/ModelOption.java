package dev.tunewright.cli.model;

import dev.tunewright.engine.hub.HubClient;
import dev.tunewright.engine.hub.HubSettings;
import dev.tunewright.engine.hub.ModelSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --model DIR_OR_ID}: a local folder, or a hub id ({@code org/name[@revision]}) fetched into the HF cache. */
public final class ModelOption {

    @Option(names = "--model", required = true, paramLabel = "DIR_OR_ID",
            description = "Model folder, or hub id org/name[@revision] (downloaded to the Hugging Face cache; "
                    + "HF_TOKEN, HF_ENDPOINT, HF_HOME, HF_HUB_CACHE and HF_HUB_OFFLINE apply).")
    String model;

    /** Resolves to a folder, reporting download progress on {@code err}. */
    Path resolve(PrintWriter err) throws IOException {
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HubClient hub = new HubClient(HubSettings.fromEnvironment(), http, msg -> {
            err.println(msg);
            err.flush();
        });
        return ModelSource.resolve(model, hub);
    }
}
