#!/usr/bin/env bash
# Puts DJL's CUDA build of libtorch, and the matching DJL JNI library, into a folder that the GPU image carries
# (src/main/jib/... of trainer-service and eval-service when built with -Dgpu), so GPU pods start offline.
# Maven Central has DJL's CPU build of this PyTorch version only; the CUDA build is DJL's own download, the same files
# DJL would otherwise fetch at run time (https://publish.djl.ai/pytorch/<version>/files.txt lists them).
#
# usage: fetch-libtorch-cuda.sh <pytorch version> <flavor, e.g. cu128> <pytorch-jni jar> <target folder>
set -euo pipefail

version=$1
flavor=$2
jni_jar=$3
target=$4
base=${DJL_PUBLISH_URL:-https://publish.djl.ai}/pytorch/$version

if [ -f "$target/libtorch.so" ] && [ -f "$target/libdjl_torch.so" ]; then
  echo "libtorch $version $flavor already in $target"
  exit 0
fi
mkdir -p "$(dirname "$target")"
tmp=$(mktemp -d "$(dirname "$target")/.fetch-XXXXXX")
trap 'rm -rf "$tmp"' EXIT

curl -fsSL "$base/files.txt" -o "$tmp/files.txt"
found=0
while read -r file; do
  name=$(basename "$file" .gz)
  echo "fetching $base/$file"
  curl -fsSL "$base/$file" | gunzip > "$tmp/$name"
  found=1
done < <(grep -E "^$flavor/linux-x86_64/native/lib/[^/]+\.gz$" "$tmp/files.txt")
rm "$tmp/files.txt"
if [ "$found" = 0 ] || [ ! -f "$tmp/libtorch.so" ]; then
  echo "no $flavor build of libtorch $version at $base" >&2
  exit 1
fi

# DJL looks for its JNI library next to libtorch first; the pytorch-jni jar carries one per flavor.
(cd "$tmp" && jar xf "$jni_jar" "jnilib/linux-x86_64/$flavor/libdjl_torch.so" \
  && mv "jnilib/linux-x86_64/$flavor/libdjl_torch.so" . && rm -r jnilib)
[ -f "$tmp/libdjl_torch.so" ] || { echo "no $flavor JNI library in $jni_jar" >&2; exit 1; }

chmod 755 "$tmp" && chmod 644 "$tmp"/*
rm -rf "$target"
mv "$tmp" "$target"
trap - EXIT
echo "libtorch $version $flavor in $target"
