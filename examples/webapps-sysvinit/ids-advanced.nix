{
  ids = {
    gids = { nginx = 2000; nginx2 = 2002; webapp1 = 2003; webapp2 = 2004; webapp3 = 2005; webapp4 = 2006; webapp5 = 2007; webapp6 = 2008; };
    uids = { nginx = 2000; nginx2 = 2002; webapp1 = 2003; webapp2 = 2004; webapp3 = 2005; webapp4 = 2006; webapp5 = 2007; webapp6 = 2008; };
    nginxPorts = { nginx = 8080; nginx2 = 8081; };
    webappPorts = { webapp1 = 5001; webapp2 = 5002; webapp3 = 5003; webapp4 = 5004; webapp5 = 5005; webapp6 = 5006; };
  };
  lastAssignments = { gids = 2008; uids = 2008; nginxPorts = 8081; webappPorts = 5006; };
}
