package main

// Placeholders; each moves to its own cmd_*.go file as it lands.

func cmdWizard(env *cliEnv, args []string) int       { return exitFail }
func cmdRun(env *cliEnv, args []string) int          { return exitFail }
func cmdGenerateKeys(env *cliEnv, args []string) int { return exitFail }
func cmdGetToken(env *cliEnv, args []string) int     { return exitFail }
func cmdCallAPI(env *cliEnv, args []string) int      { return exitFail }
func cmdMock(env *cliEnv, args []string) int         { return exitFail }
