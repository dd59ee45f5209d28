package io.sparkstaging.server.store.s3;

import io.sparkstaging.common.config.ConfigException;
import io.sparkstaging.server.config.S3Config;
import java.time.Duration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Builds the SDK's client and presigner from the settings; credentials come from the SDK's default chain. */
final class S3Clients {
  /**
   * Each download streamed through the server holds a connection for as long as it runs; the
   * SDK's default of 50 would queue the 51st pod of a fan-out.
   */
  private static final int MAX_CONNECTIONS = 1024;

  private S3Clients() {}

  static S3Client client(S3Config config) {
    var builder = S3Client.builder()
        .region(region(config))
        .forcePathStyle(config.pathStyle())
        // The server hashes every bundle itself. The SDK's default trailing checksums (aws-chunked
        // uploads) are refused by many S3-compatible stores, so checksums go only where S3 requires them.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .httpClientBuilder(Apache5HttpClient.builder()
            .maxConnections(MAX_CONNECTIONS)
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60)));
    config.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  static S3Presigner presigner(S3Config config) {
    var builder = S3Presigner.builder()
        .region(region(config))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(config.pathStyle()).build());
    config.endpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static Region region(S3Config config) {
    if (config.region().isPresent()) {
      return Region.of(config.region().get());
    }
    if (config.endpoint().isPresent()) {
      // S3-compatible stores accept any region in the signature; this is the conventional one.
      return Region.US_EAST_1;
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException none) {
      throw new ConfigException("no region for the bucket " + config.bucket() + ": set --s3-region or AWS_REGION");
    }
  }
}
