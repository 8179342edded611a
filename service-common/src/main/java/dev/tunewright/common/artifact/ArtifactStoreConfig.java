package dev.tunewright.common.artifact;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.net.URI;
import java.util.Optional;

/**
 * Which artifact store a service writes to. The local folder suits one machine (and the embedded stack); services
 * spread over several machines share an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, ...), and then
 * {@link #dir()} is only each process's own scratch space: staging files and a cache for readers that need a path.
 */
@ConfigMapping(prefix = "tunewright.artifacts")
public interface ArtifactStoreConfig {

    enum Kind {
        LOCAL, S3
    }

    /** {@code local} (default) or {@code s3}. */
    @WithDefault("local")
    Kind store();

    /**
     * The local store's folder; with {@code s3}, the local scratch folder ({@code tmp/} for staging,
     * {@code cache/} for copies handed out by {@code localPath}). Default {@code .tunewright/artifacts}, from
     * {@code TUNEWRIGHT_ARTIFACTS_DIR}.
     */
    String dir();

    S3 s3();

    /** The S3-compatible bucket; read only when {@link #store()} is {@code s3}. */
    interface S3 {

        /** The endpoint, e.g. {@code http://minio:9000}; absent means AWS S3 of {@link #region()}. */
        Optional<URI> endpoint();

        /** The bucket; required with {@code store=s3}. */
        Optional<String> bucket();

        /** Key prefix inside the bucket, so that several installations can share one bucket; default none. */
        Optional<String> prefix();

        /** Signing region; S3-compatible servers mostly accept any, AWS needs the bucket's. */
        @WithDefault("us-east-1")
        String region();

        /**
         * Access key; absent means the SDK's default credentials chain (environment, web identity, instance
         * profile), which is what IAM roles for service accounts need.
         */
        Optional<String> accessKey();

        /** Secret key, read together with {@link #accessKey()}. */
        Optional<String> secretKey();

        /** Path-style addressing ({@code endpoint/bucket/key}): what MinIO and most S3-compatible servers need. */
        @WithDefault("true")
        boolean pathStyle();

        /**
         * Content up to this size goes up in one request, larger content as a multipart upload of parts this
         * size (S3 wants at least 5 MiB per part, and at most 10,000 parts: 16 MiB parts allow 160 GiB).
         */
        @WithDefault("16M")
        MemorySize partSize();

        /** Parts of one multipart upload sent at the same time; each holds one connection, not a part in memory. */
        @WithDefault("4")
        int uploadConcurrency();

        /** Creates the bucket when it is missing, for a fresh MinIO; off by default, so a typo fails loudly. */
        @WithDefault("false")
        boolean createBucket();
    }
}
