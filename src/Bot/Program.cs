using Bot.Cli;

return await BotCli.RunAsync(args);
