package dev.tunewright.common.artifact;

import java.io.IOException;
import java.nio.file.Path;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Opens the {@link S3ArtifactStore} that {@code tunewright.artifacts.s3.*} describes, and checks that its bucket is
 * there before the first artifact goes to it, so that a wrong endpoint, key or bucket name stops the service with a
 * message that names the setting instead of failing the first upload.
 */
final class S3Connection {

    private S3Connection() {
    }

    static S3ArtifactStore open(ArtifactStoreConfig.S3 config, Path localDir) throws IOException {
        String bucket = config.bucket().filter(name -> !name.isBlank()).orElseThrow(() -> new IllegalStateException(
                "tunewright.artifacts.store=s3 needs a bucket: set tunewright.artifacts.s3.bucket"
                        + " (TUNEWRIGHT_ARTIFACTS_S3_BUCKET)"));
        S3Client client = client(config);
        try {
            checkBucket(client, bucket, config);
            return new S3ArtifactStore(client, bucket, config.prefix().orElse(""), localDir,
                    config.partSize().asLongValue(), config.uploadConcurrency());
        } catch (IOException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    static S3Client client(ArtifactStoreConfig.S3 config) {
        S3ClientBuilder builder = S3Client.builder()
                // Named here, not found by service loading, so the packaged service and the tests use the same client.
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(Math.max(50, 2 * config.uploadConcurrency())))
                .region(Region.of(config.region()))
                .forcePathStyle(config.pathStyle())
                .credentialsProvider(credentials(config))
                // The store checks SHA-256 itself; the SDK's default CRC trailers are refused by some S3-compatible
                // servers, so checksums are sent and checked only where an operation requires them.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        config.endpoint().ifPresent(builder::endpointOverride);
        return builder.build();
    }

    private static AwsCredentialsProvider credentials(ArtifactStoreConfig.S3 config) {
        if (config.accessKey().isPresent() != config.secretKey().isPresent()) {
            throw new IllegalStateException("set both tunewright.artifacts.s3.access-key and"
                    + " tunewright.artifacts.s3.secret-key, or neither (then the AWS default credentials chain is used)");
        }
        if (config.accessKey().isPresent()) {
            return StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey().get(),
                    config.secretKey().get()));
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static void checkBucket(S3Client client, String bucket, ArtifactStoreConfig.S3 config) {
        String where = "bucket " + bucket + " at " + config.endpoint().map(Object::toString).orElse("AWS S3 " + config.region());
        try {
            client.headBucket(request -> request.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() != 404) {
                throw new IllegalStateException("cannot use the artifact " + where + " (HTTP " + e.statusCode()
                        + "): check tunewright.artifacts.s3.* and the credentials: " + e.getMessage(), e);
            }
            if (!config.createBucket()) {
                throw new IllegalStateException("the artifact " + where + " does not exist: create it, or set"
                        + " tunewright.artifacts.s3.create-bucket=true", e);
            }
            client.createBucket(request -> request.bucket(bucket));
        } catch (SdkException e) {
            throw new IllegalStateException("cannot reach the artifact " + where + ": " + e.getMessage(), e);
        }
    }
}
