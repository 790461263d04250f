{
  ids = {
    gids = { nginx = 2000; webapp = 2001; };
    uids = { nginx = 2000; webapp = 2001; };
    nginxPorts = { nginx = 8080; };
    webappPorts = { webapp = 5000; };
  };
  lastAssignments = { gids = 2001; uids = 2001; nginxPorts = 8080; webappPorts = 5000; };
}
