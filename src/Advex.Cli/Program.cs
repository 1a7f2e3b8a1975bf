Advex.Workflows.ParentWatch.StartIfWorker();
return Advex.Cli.Cli.Run(args, Console.Out, Console.Error);
