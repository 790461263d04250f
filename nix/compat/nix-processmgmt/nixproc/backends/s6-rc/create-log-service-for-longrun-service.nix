# The original's createLogServiceForLongRunService generator: nixproc's,
# which explains that longruns get their log service automatically.
{ ... }:

(import <nixproc> { }).createLogServiceForLongRunService
