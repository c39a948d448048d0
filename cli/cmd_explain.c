#include <stdio.h>

#include "commands.h"

int cmd_explain(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "ccprov: 'explain' is not available in this build\n");
	return CCP_EXIT_FAILURE;
}
