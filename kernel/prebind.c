// Binds the kernel's TCP ports before the Go runtime starts.
//
// jupyter_client connects to a new kernel right after spawning it. If the
// port is not listening yet, ZeroMQ waits its reconnect interval (100 ms)
// before trying again, which would dominate the kernel's start-up: the Go
// runtime and the package initialisers of the engine (yaegi's standard
// library tables, MLX) take a few milliseconds, more on a busy machine.
// So the sockets are bound before anything else runs: on Linux from the
// executable's .preinit_array, which the dynamic loader calls even before
// the shared libraries' initialisers (MLX's own take several
// milliseconds); elsewhere from a constructor. Connections then wait in
// the sockets' backlog until the kernel accepts them. Go adopts the sockets in
// prebind.go. Anything unexpected here (no -f, no tcp, not IPv4, a read or
// bind error) leaves the sockets unbound, and Go binds them as usual.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "prebind.h"

int mlxk_prebound_fd[MLXK_PORTS] = {-1, -1, -1, -1, -1};
int mlxk_prebound_port[MLXK_PORTS];

static const char *port_keys[MLXK_PORTS] = {
	"\"shell_port\"", "\"control_port\"", "\"stdin_port\"", "\"iopub_port\"", "\"hb_port\"",
};

// value finds "key": in a JSON object's text and returns where its value
// starts, or NULL.
static const char *value(const char *json, const char *key) {
	const char *p = strstr(json, key);
	if (p == NULL) return NULL;
	p += strlen(key);
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
	if (*p != ':') return NULL;
	p++;
	while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
	return p;
}

// string_value copies a plain string value (no escapes) into out.
static int string_value(const char *json, const char *key, char *out, size_t n) {
	const char *p = value(json, key);
	if (p == NULL || *p != '"') return 0;
	p++;
	size_t i = 0;
	while (*p && *p != '"' && *p != '\\' && i + 1 < n) out[i++] = *p++;
	if (*p != '"') return 0;
	out[i] = 0;
	return 1;
}

static int listen_on(struct in_addr ip, int port) {
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) return -1;
	fcntl(fd, F_SETFD, FD_CLOEXEC);
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	sa.sin_addr = ip;
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 128) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void mlxk_prebind(int argc, char **argv) {
	const char *path = NULL;
	for (int i = 1; i + 1 < argc; i++) {
		if (strcmp(argv[i], "-f") == 0 || strcmp(argv[i], "--connection-file") == 0) path = argv[i + 1];
	}
	if (path == NULL) return;
	int f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0) return;
	char json[16384];
	ssize_t n = read(f, json, sizeof json - 1);
	close(f);
	if (n <= 0) return;
	json[n] = 0;

	char text[256];
	if (string_value(json, "\"transport\"", text, sizeof text) && strcmp(text, "tcp") != 0) return;
	struct in_addr ip;
	if (!string_value(json, "\"ip\"", text, sizeof text) || inet_pton(AF_INET, text, &ip) != 1) return;
	for (int i = 0; i < MLXK_PORTS; i++) {
		const char *p = value(json, port_keys[i]);
		int port = p ? atoi(p) : 0;
		if (port <= 0 || port > 65535) continue;
		mlxk_prebound_port[i] = port;
		mlxk_prebound_fd[i] = listen_on(ip, port);
	}
}

#ifdef __linux__
__attribute__((section(".preinit_array"), used)) static void (*const mlxk_preinit)(int, char **) = mlxk_prebind;
#else
__attribute__((constructor)) static void mlxk_constructor(int argc, char **argv) { mlxk_prebind(argc, argv); }
#endif
