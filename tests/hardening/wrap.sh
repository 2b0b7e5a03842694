#!/bin/sh
# Usage: tests/hardening/wrap.sh DIR asan|valgrind LOGDIR
# Writes DIR/vpn-doctor and DIR/vpn-probe, ... : one small script per tool that runs the
# tool under the sanitizer build (bin-asan/, with ASAN_OPTIONS set, since the golden tests
# clear the environment) or under valgrind memcheck (bin/), logging to LOGDIR/. Point
# tests/golden/run.sh at them with GOLDEN_BIN=DIR.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1 mode=$2 logs=$3
mkdir -p "$dir" "$logs"
# vpn-doctor started as root writes its report here after becoming nobody
chmod 1777 "$logs"
for t in vpn-doctor vpn-probe vpn-aws vpn-logs vpn-ike vpn-routes vpn-srcip vpn-mtu vpn-policy; do
	case $mode in
	asan)
		cat >"$dir/$t" <<EOS
#!/bin/sh
ASAN_OPTIONS=detect_leaks=1:exitcode=99:log_path=$logs/asan:detect_stack_use_after_return=1 \\
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99:log_path=$logs/ubsan \\
exec "$root/bin-asan/$t" "\$@"
EOS
		;;
	valgrind)
		# --vgdb=no: vpn-doctor becomes nobody and could not remove the FIFOs.
		# Definite leaks count as errors (exit 99); possible ones (threads left to the
		# process's exit by --check-timeout) do not.
		cat >"$dir/$t" <<EOS
#!/bin/sh
exec valgrind -q --vgdb=no --tool=memcheck --error-exitcode=99 --leak-check=full \\
	--errors-for-leak-kinds=definite --show-leak-kinds=definite --track-fds=no \\
	--log-file=$logs/vg.%p "$root/bin/$t" "\$@"
EOS
		;;
	*) echo "wrap.sh: $mode: asan or valgrind" >&2; exit 64 ;;
	esac
	chmod +x "$dir/$t"
done
