# A model with no processes: for suites that deploy by themselves.
{ ... }: { }
