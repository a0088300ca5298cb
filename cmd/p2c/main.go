// Command p2c migrates an Amazon Pinpoint footprint to Amazon Connect, AWS
// End User Messaging and Amazon SES. See README.md.
package main

import (
	"os"

	"github.com/p2c/p2c/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
