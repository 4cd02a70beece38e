#!/usr/bin/env bash
# Installs the Debian 12 packages sagaflow builds and runs with. Quick when
# everything is already there: apt runs only for what is missing.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache
  libboost-dev libboost-system-dev libpqxx-dev nlohmann-json3-dev libyaml-cpp-dev
  catch2 libssl-dev libcurl4-openssl-dev ca-certificates
  postgresql postgresql-contrib tzdata curl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
