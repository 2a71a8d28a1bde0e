# Picks a JDK 21 or newer (the build targets the java21 Lambda runtime) and puts it first on
# PATH. POSIX sh, so that `make` (which `sam build` runs, under /bin/sh) can source it alone:
# packaging a function needs a JDK and Maven (and, once, the clang toolchain that setup.sh installs
# for the HEIC decoder, which the Makefile rebuilds when its sources change: infrastructure/heif).
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}'; }

pick_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(java_major "$JAVA_HOME")" -ge 21 ]; then
    return
  fi
  local best="" best_major=0
  for home in /usr/lib/jvm/* /opt/java/* "$HOME"/.sdkman/candidates/java/*; do
    [ -x "$home/bin/javac" ] || continue
    local major; major="$(java_major "$home")"
    if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$home"; best_major="$major"; fi
  done
  if [ -z "$best" ]; then
    echo "No JDK 21 or newer found: install one (for example Temurin 21) and set JAVA_HOME." >&2
    return 1
  fi
  export JAVA_HOME="$best"
}

pick_jdk && export PATH="$JAVA_HOME/bin:$PATH"
