// Sockets bound by prebind.c before the Go runtime started; -1 where none.
#define MLXK_PORTS 5
extern int mlxk_prebound_fd[MLXK_PORTS];
extern int mlxk_prebound_port[MLXK_PORTS];
