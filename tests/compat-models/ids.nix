# What nixproc-id-assign would have written: the uids and gids the models'
# plain credentials get (the original's generators applied them).
{
  ids = {
    uids = { webapp-1 = 2001; websv = 2002; websysv = 2003; };
    gids = { webapps = 2100; };
  };
}
