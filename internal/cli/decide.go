package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/p2c/p2c/internal/artifact"
	"github.com/p2c/p2c/internal/blueprint"
)

type decideOptions struct {
	*GlobalOptions
	AcceptSuggested bool
	Answers         []string
	quiet           bool
	answered        func([]string) // reports what was answered (the demo)
}

func newDecideCmd(g *GlobalOptions) *cobra.Command {
	opts := &decideOptions{GlobalOptions: g}
	cmd := &cobra.Command{
		Use:   "decide [KEY=VALUE ...]",
		Short: "Answer the plan's open questions in decisions.yaml",
		Long: `Answer questions of decisions.yaml (written by p2c plan) from the command line. Each answer is
checked by its question's kind (choices, ARN formats, email addresses, resource names) and a bad
one names its key. KEY= (an empty value) reopens a question.

--accept-suggested answers every open question with p2c's suggestion: for rehearsals (p2c demo,
the emulator), not for a production migration, where a person should read each question.
Run p2c plan again afterwards: answers can bring new questions.`,
		Example: `  p2c decide us-east-1.connect-instance=arn:aws:connect:us-east-1:111122223333:instance/0c4f...
  p2c decide --accept-suggested`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Answers = args
			return runDecide(opts)
		},
	}
	cmd.Flags().BoolVar(&opts.AcceptSuggested, "accept-suggested", false, "answer every open question with its suggestion (rehearsals)")
	return cmd
}

// decideResult is what decide prints with --output json.
type decideResult struct {
	Decisions string   `json:"decisions"`
	Answered  []string `json:"answered"`
	Open      []string `json:"open"`
}

// acceptSuggested runs decide --accept-suggested and says how many
// answers it gave.
func acceptSuggested(o *decideOptions) (int, error) {
	o.AcceptSuggested = true
	n := 0
	o.answered = func(keys []string) { n = len(keys) }
	err := runDecide(o)
	return n, err
}

func runDecide(o *decideOptions) error {
	if !o.AcceptSuggested && len(o.Answers) == 0 {
		return usageError{errors.New("nothing to decide: give KEY=VALUE answers or --accept-suggested")}
	}
	dir, err := o.workspaceDir()
	if err != nil {
		return err
	}
	path := filepath.Join(dir, "decisions.yaml")
	d, _, err := blueprint.ReadDecisions(path)
	if errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no decisions at %s: run p2c plan first", path)
	}
	if err != nil {
		return err
	}
	res := decideResult{Decisions: path, Answered: []string{}}
	for _, a := range o.Answers {
		key, value, ok := strings.Cut(a, "=")
		if !ok || key == "" {
			return usageError{fmt.Errorf("%q: answers are KEY=VALUE", a)}
		}
		if err := d.SetAnswer(key, strings.TrimSpace(value)); err != nil {
			return err
		}
		res.Answered = append(res.Answered, key)
	}
	if o.AcceptSuggested {
		res.Answered = append(res.Answered, d.AcceptSuggested()...)
	}
	data, err := blueprint.MarshalDecisions(d)
	if err != nil {
		return err
	}
	if err := artifact.Write(path, data); err != nil {
		return err
	}
	if o.answered != nil {
		o.answered(res.Answered)
	}
	res.Open = d.Open()
	if res.Open == nil {
		res.Open = []string{}
	}
	if o.quiet {
		return nil
	}
	if o.JSON() {
		enc := json.NewEncoder(o.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	}
	fmt.Fprintf(o.Stdout, "Decisions written to %s: %d answered now, %d still open.\n", path, len(res.Answered), len(res.Open))
	for _, k := range res.Open {
		fmt.Fprintf(o.Stdout, "  open: %s\n", k)
	}
	fmt.Fprintln(o.Stdout, "Run p2c plan again to use them.")
	return nil
}
