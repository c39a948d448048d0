#include <stdio.h>

#include "commands.h"

int cmd_lint(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "ccprov: 'lint' is not available in this build\n");
	return CCP_EXIT_FAILURE;
}
