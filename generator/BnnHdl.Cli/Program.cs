return BnnHdl.Cli.CommandLine.Run(args);
