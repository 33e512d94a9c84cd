# procs.sh: helpers that keystone.sh and neutron.sh source (POSIX sh).
#
#   free_port      print a TCP port free on 127.0.0.1 now
#   alive PID      PID names a running process

free_port() {
	/usr/bin/python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

alive() {
	[ -n "$1" ] && kill -0 "$1" 2>/dev/null
}
