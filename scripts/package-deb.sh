#!/usr/bin/env bash
# Builds artifacts/deb/smtpdane_<version>_amd64.deb from the NativeAOT binary:
#   /usr/bin/smtpdane, smtpdane(1) and the bash completion (both generated from the flag table
#   by src/SmtpDane.DocGen), the exporter's systemd unit (disabled) with /etc/default/smtpdane,
#   and the monitoring and Kubernetes examples of deploy/ under /usr/share/doc/smtpdane/examples.
# The version is the repository's one (Directory.Build.props); the binary must report the same.
#
#   scripts/package-deb.sh               publish NativeAOT (as scripts/aot-smoke.sh), then package
#   scripts/package-deb.sh --no-publish  reuse artifacts/aot/smtpdane
# Needs dpkg-deb (dpkg), gzip, objcopy (binutils); publishing needs clang and zlib1g-dev (testbed/install.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="$root/artifacts/deb"
stage="$out/root"
bin="$root/artifacts/aot/smtpdane"

publish=1
[ "${1:-}" = "--no-publish" ] && publish=0

version=$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "package-deb: no <Version> in Directory.Build.props" >&2; exit 1; }
# Reproducible: every date and mtime is the last commit's.
epoch=$(git log -1 --format=%ct 2>/dev/null || date +%s)
export SOURCE_DATE_EPOCH=$epoch

if [ $publish = 1 ]; then
  echo "== publish NativeAOT (linux-x64) -> artifacts/aot/"
  dotnet publish src/SmtpDane.Cli -r linux-x64 -c Release -nologo -v quiet \
    -o "$root/artifacts/aot" --artifacts-path "$root/artifacts/aot-build" >/dev/null
fi
[ -x "$bin" ] || { echo "package-deb: $bin missing (run without --no-publish)" >&2; exit 1; }
reported=$("$bin" -version | head -1)
[ "$reported" = "smtpdane (dotnet) $version" ] ||
  { echo "package-deb: $bin says '$reported', the repository is at $version (stale publish?)" >&2; exit 1; }

echo "== generate the man page and bash completion from the flag table"
dotnet build src/SmtpDane.DocGen -c Release -nologo -v quiet >/dev/null
docgen="$root/src/SmtpDane.DocGen/bin/Release/net10.0/smtpdane-docgen"

rm -rf "$stage"
install -d -m 0755 "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/share/man/man1" \
  "$stage/usr/share/bash-completion/completions" "$stage/lib/systemd/system" "$stage/etc/default" \
  "$stage/usr/share/doc/smtpdane/examples" "$stage/usr/share/lintian/overrides"
install -m 0755 "$bin" "$stage/usr/bin/smtpdane"
# As dh_strip: the linker's .comment section is of no use at run time (symbols are already
# stripped into smtpdane.dbg by the publish).
objcopy --remove-section=.comment "$stage/usr/bin/smtpdane"
"$docgen" man "$(date -u -d "@$epoch" +%Y-%m-%d)" | gzip -9n >"$stage/usr/share/man/man1/smtpdane.1.gz"
"$docgen" bash-completion >"$stage/usr/share/bash-completion/completions/smtpdane"
install -m 0644 deploy/systemd/smtpdane-exporter.service "$stage/lib/systemd/system/"
install -m 0644 deploy/systemd/smtpdane.default "$stage/etc/default/smtpdane"

doc="$stage/usr/share/doc/smtpdane"
install -m 0644 packaging/debian/copyright "$doc/copyright"
# A native package's changelog is changelog.gz (Debian policy 12.7); one entry per version.
{
  printf 'smtpdane (%s) unstable; urgency=medium\n\n' "$version"
  printf '  * Release %s. Changes: the git history of the smtpdane repository.\n\n' "$version"
  printf ' -- smtpdane developers <smtpdane@example.org>  %s\n' "$(date -u -R -d "@$epoch")"
} | gzip -9n >"$doc/changelog.gz"
gzip -9n <README.md >"$doc/README.md.gz"
ex="$doc/examples"
install -d -m 0755 "$ex/nagios" "$ex/icinga2" "$ex/prometheus" "$ex/kubernetes" "$ex/container"
install -m 0644 deploy/nagios/smtpdane.cfg "$ex/nagios/"
install -m 0644 deploy/icinga2/smtpdane.conf "$ex/icinga2/"
install -m 0644 deploy/prometheus/prometheus.yml deploy/prometheus/smtpdane-rules.yml "$ex/prometheus/"
install -m 0644 deploy/kubernetes/*.yaml "$ex/kubernetes/"
install -m 0644 deploy/container/Dockerfile "$ex/container/"
install -m 0644 packaging/debian/smtpdane.lintian-overrides "$stage/usr/share/lintian/overrides/smtpdane"

installed_size=$(du -sk --exclude=DEBIAN "$stage" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@INSTALLED_SIZE@/$installed_size/" packaging/debian/control.in >"$stage/DEBIAN/control"
echo /etc/default/smtpdane >"$stage/DEBIAN/conffiles"
(cd "$stage" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$stage/DEBIAN/md5sums"
chmod 0644 "$stage/DEBIAN/control" "$stage/DEBIAN/conffiles" "$stage/DEBIAN/md5sums"
find "$stage" -exec touch -h -d "@$epoch" {} +

deb="$out/smtpdane_${version}_amd64.deb"
rm -f "$out"/smtpdane_*_amd64.deb
dpkg-deb --root-owner-group -Zxz --build "$stage" "$deb" >/dev/null
echo "package-deb: built $deb ($(du -k "$deb" | cut -f1) KB)"
