package io.sparkstaging.server.support;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A key and certificate for 127.0.0.1 and localhost, in the file formats the server reads. */
public final class SelfSignedCertificate {
  private final KeyPair keys;
  private final X509Certificate certificate;

  public SelfSignedCertificate() throws GeneralSecurityException, OperatorCreationException, IOException {
    var generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(2048);
    keys = generator.generateKeyPair();
    var name = new X500Name("CN=localhost");
    var now = Instant.now();
    var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
        Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
    builder.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(
            new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
    certificate = new JcaX509CertificateConverter()
        .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
  }

  public Path writePkcs8Key(Path file) throws IOException {
    return writePem(file, new JcaPKCS8Generator(keys.getPrivate(), null));
  }

  /** The traditional "BEGIN RSA PRIVATE KEY" form, as openssl wrote it for years. */
  public Path writePkcs1Key(Path file) throws IOException {
    return writePem(file, new JcaMiscPEMGenerator(keys));
  }

  public Path writeCertificate(Path file) throws IOException {
    return writePem(file, new JcaMiscPEMGenerator(certificate));
  }

  public Path writeKeyStore(Path file, String password) throws IOException, GeneralSecurityException {
    var store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setKeyEntry("server", keys.getPrivate(), password.toCharArray(), new Certificate[] {certificate});
    try (OutputStream out = Files.newOutputStream(file)) {
      store.store(out, password.toCharArray());
    }
    return file;
  }

  /** A trust store holding only this certificate, for the client side. */
  public KeyStore trustStore() throws IOException, GeneralSecurityException {
    var store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("server", certificate);
    return store;
  }

  private static Path writePem(Path file, org.bouncycastle.util.io.pem.PemObjectGenerator object) throws IOException {
    try (Writer writer = Files.newBufferedWriter(file); var pem = new JcaPEMWriter(writer)) {
      pem.writeObject(object);
    }
    return file;
  }
}
