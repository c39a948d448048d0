#include <stdio.h>

int main(void)
{
	puts("ccprov " CCPROV_VERSION);
	return 0;
}
