# The ID resources of the services example, for nixproc-id-assign (when it
# assigns IDs, it writes ids.nix, which processes.nix reads): the ranges the
# instances' ports, uids and gids come from (requiresUniqueIdsFor).
{
  webappPorts = { min = 5000; max = 6000; };
  nginxPorts = { min = 8080; max = 9000; };
  postgresqlPorts = { min = 5432; max = 5532; };
  redisPorts = { min = 6379; max = 6479; };
  inetHTTPPorts = { min = 9001; max = 9091; };
  uids = { min = 2000; max = 3000; };
  gids = { min = 2000; max = 3000; };
}
