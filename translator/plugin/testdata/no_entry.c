/* A shared object without iovacheck's entry point. */
int iovacheck_something_else(void) { return 0; }
