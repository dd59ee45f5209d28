package io.sparkstaging.common.wire;

import java.util.List;

/** Makes a bundle of files the server already holds: the owner, as for an upload, and the files. */
public record ManifestCommit(BundleOwner owner, List<ManifestFile> files) {}
