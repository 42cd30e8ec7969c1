/* Compiled as -std=c99 -pedantic -Werror: the public headers must be clean C99. */
#include <cjm.h>
#include <string.h>

int main(void)
{
    return strcmp(cjm_version(), CJM_VERSION) == 0 ? 0 : 1;
}
