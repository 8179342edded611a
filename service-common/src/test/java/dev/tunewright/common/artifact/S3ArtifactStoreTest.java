package dev.tunewright.common.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tunewright.testing.S3TestServer;
import io.quarkus.runtime.configuration.MemorySize;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The contract on an S3-compatible server that the test starts itself (S3Mock, see {@link S3TestServer}), with
 * parts of S3's minimum size so that {@link #LARGE} content goes up in three parts.
 */
class S3ArtifactStoreTest extends ArtifactStoreContractTest {

    private static S3TestServer server;
    private String prefix;

    @BeforeAll
    static void startServer() {
        Optional<S3TestServer> started = S3TestServer.get();
        assumeTrue(started.isPresent(), S3TestServer::unavailableReason);
        server = started.get();
    }

    @Override
    ArtifactStore newStore(Path dir) throws IOException {
        prefix = S3TestServer.uniquePrefix("contract");
        return S3Connection.open(config(S3TestServer.BUCKET, false), dir);
    }

    @Test
    void artifactsAreObjectsUnderTheirHashBelowThePrefixAndNoUploadIsLeftOpen() throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        ArtifactStore.Stored large = store.put(out -> writeLarge(out, digest));
        ArtifactStore.Stored small = store.put(out -> out.write('x'));

        try (S3Client client = S3Connection.client(config(S3TestServer.BUCKET, false))) {
            List<S3Object> objects = client.listObjectsV2(request -> request.bucket(S3TestServer.BUCKET).prefix(prefix + "/"))
                    .contents();
            assertThat(objects).extracting(S3Object::key).containsExactlyInAnyOrder(
                    prefix + "/sha256/" + large.sha256().substring(0, 2) + "/" + large.sha256(),
                    prefix + "/sha256/" + small.sha256().substring(0, 2) + "/" + small.sha256());
            assertThat(objects).extracting(S3Object::size).containsExactlyInAnyOrder((long) LARGE, 1L);
            assertThat(client.listMultipartUploads(request -> request.bucket(S3TestServer.BUCKET).prefix(prefix + "/"))
                    .uploads()).isEmpty();
        }
    }

    @Test
    void aDamagedObjectIsRefusedInsteadOfCachedUnderItsId() throws Exception {
        ArtifactStore.Stored stored = store.put(out -> out.write("the real bytes".getBytes(StandardCharsets.UTF_8)));
        try (S3Client client = S3Connection.client(config(S3TestServer.BUCKET, false))) {
            client.putObject(request -> request.bucket(S3TestServer.BUCKET).key(((S3ArtifactStore) store).key(stored.sha256())),
                    RequestBody.fromString("other bytes"));
        }
        assertThatThrownBy(() -> store.localPath(stored.id())).isInstanceOf(IOException.class)
                .hasMessageContaining(stored.id()).hasMessageContaining("does not match its id");
        try (var cached = Files.walk(scratch.resolve("store"))) {
            assertThat(cached.filter(Files::isRegularFile)).as("nothing cached or left in staging").isEmpty();
        }
    }

    @Test
    void aMissingBucketIsNamedWithTheSettingThatCreatesIt() throws IOException {
        String bucket = "missing-" + prefix.toLowerCase().replaceAll("[^a-z0-9-]", "");
        assertThatThrownBy(() -> S3Connection.open(config(bucket, false), scratch.resolve("other")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(bucket)
                .hasMessageContaining("tunewright.artifacts.s3.create-bucket");
        try (S3ArtifactStore created = S3Connection.open(config(bucket, true), scratch.resolve("other"))) {
            ArtifactStore.Stored stored = created.put(out -> out.write(1));
            assertThat(created.exists(stored.id())).isTrue();
        }
    }

    @Test
    void aBucketIsRequiredAndKeysComeInPairs() {
        assertThatThrownBy(() -> S3Connection.open(config(null, false), scratch.resolve("other")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TUNEWRIGHT_ARTIFACTS_S3_BUCKET");
        assertThatThrownBy(() -> S3Connection.client(new TestConfig(server.endpoint(), S3TestServer.BUCKET, prefix,
                S3TestServer.ACCESS_KEY, null, false))).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secret-key");
    }

    private ArtifactStoreConfig.S3 config(String bucket, boolean createBucket) {
        return new TestConfig(server.endpoint(), bucket, prefix, S3TestServer.ACCESS_KEY, S3TestServer.SECRET_KEY,
                createBucket);
    }

    /** The configuration as SmallRye would map it from {@code tunewright.artifacts.s3.*}. */
    private record TestConfig(URI uri, String bucketName, String keyPrefix, String access, String secret, boolean create)
            implements ArtifactStoreConfig.S3 {

        @Override
        public Optional<URI> endpoint() {
            return Optional.of(uri);
        }

        @Override
        public Optional<String> bucket() {
            return Optional.ofNullable(bucketName);
        }

        @Override
        public Optional<String> prefix() {
            return Optional.of(keyPrefix);
        }

        @Override
        public String region() {
            return "us-east-1";
        }

        @Override
        public Optional<String> accessKey() {
            return Optional.ofNullable(access);
        }

        @Override
        public Optional<String> secretKey() {
            return Optional.ofNullable(secret);
        }

        @Override
        public boolean pathStyle() {
            return true;
        }

        @Override
        public MemorySize partSize() {
            return new MemorySize(BigInteger.valueOf(S3ArtifactStore.MIN_PART_SIZE));
        }

        @Override
        public int uploadConcurrency() {
            return 2;
        }

        @Override
        public boolean createBucket() {
            return create;
        }
    }
}
