package blueprint

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Question kinds: how an answer is checked.
const (
	KindChoice             = "choice"
	KindConnectInstanceARN = "connect-instance-arn"
	KindARN                = "arn"
	KindPhoneNumberARN     = "phone-number-arn"
	// KindConnectNumberARN accepts only Connect phone numbers: campaigns
	// send from numbers imported into the instance.
	KindConnectNumberARN = "connect-phone-number-arn"
	KindEmail            = "email"
	KindName             = "name"
	KindText             = "text"
)

var knownKinds = map[string]bool{KindChoice: true, KindConnectInstanceARN: true, KindARN: true,
	KindPhoneNumberARN: true, KindConnectNumberARN: true, KindEmail: true, KindName: true, KindText: true}

// decisionsHeader tells the person editing decisions.yaml what to do; it
// is rewritten on every plan.
const decisionsHeader = `p2c decisions: the judgment calls this migration needs from a person.

Each entry under "decisions" is one question p2c will not answer for you.
Read its context, the choices and the suggested answer with its reason,
then write your answer after "answer:" (keep "" to leave it open). Steps
that wait on an open question are planned but not applied.

  answer here, or:        p2c decide KEY=VALUE ...
  rehearsals only:        p2c decide --accept-suggested
  then:                   p2c plan   (answers are kept; new questions are added)

kind says how an answer is checked: choice (one of choices), connect-instance-arn,
arn, phone-number-arn (Connect or End User Messaging number), email, name
(letters, digits, - and _, at most 64), text.`

// entryMembers are the members an entry may have, in file order.
var entryMembers = []string{"context", "choices", "suggested", "why", "kind", "answer"}

// DecisionError is one problem in decisions.yaml, located by line.
type DecisionError struct {
	File string
	Line int
	Key  string // the question key, when known
	Msg  string
}

func (e *DecisionError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Key != "" {
		fmt.Fprintf(&b, ": %s", e.Key)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// entry is one question as read from the file, with where it was.
type entry struct {
	q          Question
	line       int // of the key
	answerLine int
}

// MarshalDecisions renders decisions.yaml: the header comment, then one
// entry per question key, sorted by key.
func MarshalDecisions(d *Decisions) ([]byte, error) {
	str := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s} }
	entries := &yaml.Node{Kind: yaml.MappingNode}
	var qs []*Question
	if d != nil {
		qs = append(qs, d.Questions...)
	}
	sort.Slice(qs, func(i, j int) bool { return qs[i].Key < qs[j].Key })
	for _, q := range qs {
		m := &yaml.Node{Kind: yaml.MappingNode}
		add := func(k string, v *yaml.Node) { m.Content = append(m.Content, str(k), v) }
		add("context", str(q.Context))
		if len(q.Choices) > 0 {
			seq := &yaml.Node{Kind: yaml.SequenceNode}
			for _, c := range q.Choices {
				seq.Content = append(seq.Content, str(c))
			}
			add("choices", seq)
		}
		add("suggested", str(q.Suggested))
		add("why", str(q.Why))
		add("kind", str(q.Kind))
		ans := str(q.Answer)
		ans.Style = yaml.DoubleQuotedStyle
		add("answer", ans)
		entries.Content = append(entries.Content, str(q.Key), m)
	}
	version := 1
	if d != nil && d.Version > 0 {
		version = d.Version
	}
	var head []string
	for _, l := range strings.Split(decisionsHeader, "\n") {
		head = append(head, strings.TrimRight("# "+l, " "))
	}
	root := &yaml.Node{Kind: yaml.MappingNode, HeadComment: strings.Join(head, "\n"), Content: []*yaml.Node{
		str("version"), {Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(version)},
		str("decisions"), entries,
	}}
	var b strings.Builder
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(&yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}}); err != nil {
		return nil, fmt.Errorf("encode decisions: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode decisions: %w", err)
	}
	return []byte(b.String()), nil
}

// ReadDecisions reads decisions.yaml. A missing file is an error wrapping
// os.ErrNotExist (the plan treats it as "no answers yet").
func ReadDecisions(path string) (*Decisions, []byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read decisions: %w", err)
	}
	d, err := ParseDecisions(path, data)
	return d, data, err
}

// ParseDecisions decodes decisions.yaml; name is used in errors. Each
// error names the file, the line and the question key. Answers are checked
// against the kind written in the file; CheckDecisions checks them again
// against the plan's own questions.
func ParseDecisions(name string, data []byte) (*Decisions, error) {
	entries, version, err := parseEntries(name, data)
	if err != nil {
		return nil, err
	}
	d := &Decisions{Version: version}
	var errs []error
	for _, e := range entries {
		q := e.q
		if !knownKinds[q.Kind] {
			errs = append(errs, &DecisionError{name, e.line, q.Key, fmt.Sprintf("unknown kind %q (one of %s)", q.Kind, strings.Join(sortedKeys(knownKinds), ", "))})
		} else if err := ValidateAnswer(&q, q.Answer); err != nil {
			errs = append(errs, &DecisionError{name, e.answerLine, q.Key, err.Error()})
		}
		d.Questions = append(d.Questions, &q)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return d, nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// parseEntries walks the YAML tree so every problem can name its line.
func parseEntries(name string, data []byte) ([]entry, int, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			line, _ = strconv.Atoi(m[1])
			msg = strings.TrimPrefix(msg, m[0]+": ")
		}
		return nil, 0, &DecisionError{name, line, keyAtLine(data, line), "YAML syntax error: " + msg}
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, 1, nil // an empty file: no answers yet
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, 0, &DecisionError{name, root.Line, "", "not a decisions file: expected a mapping with version and decisions"}
	}
	version := 1
	var entries []entry
	var errs []error
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "version":
			n, err := strconv.Atoi(v.Value)
			if err != nil || n != 1 {
				return nil, 0, &DecisionError{name, v.Line, "", fmt.Sprintf("version %q: this p2c reads version 1", v.Value)}
			}
			version = n
		case "decisions":
			if v.Kind == yaml.ScalarNode && (v.Tag == "!!null" || v.Value == "") {
				continue
			}
			if v.Kind != yaml.MappingNode {
				return nil, 0, &DecisionError{name, v.Line, "", "decisions must be a mapping of question keys to entries"}
			}
			seen := map[string]int{}
			for j := 0; j+1 < len(v.Content); j += 2 {
				kn, en := v.Content[j], v.Content[j+1]
				if prev, dup := seen[kn.Value]; dup {
					errs = append(errs, &DecisionError{name, kn.Line, kn.Value, fmt.Sprintf("answered twice (first at line %d)", prev)})
					continue
				}
				seen[kn.Value] = kn.Line
				e, err := parseEntry(name, kn, en)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				entries = append(entries, e)
			}
		default:
			errs = append(errs, &DecisionError{name, k.Line, "", fmt.Sprintf("unknown top-level key %q (expected version and decisions)", k.Value)})
		}
	}
	if len(errs) > 0 {
		return nil, 0, errors.Join(errs...)
	}
	return entries, version, nil
}

func parseEntry(name string, kn, en *yaml.Node) (entry, error) {
	e := entry{q: Question{Key: kn.Value}, line: kn.Line, answerLine: kn.Line}
	if en.Kind == yaml.ScalarNode && en.Tag == "!!null" {
		return e, nil
	}
	if en.Kind != yaml.MappingNode {
		return e, &DecisionError{name, en.Line, kn.Value, "entry must be a mapping (context, choices, suggested, why, kind, answer)"}
	}
	for i := 0; i+1 < len(en.Content); i += 2 {
		mk, mv := en.Content[i], en.Content[i+1]
		scalar := func() (string, error) {
			if mv.Kind != yaml.ScalarNode {
				return "", &DecisionError{name, mv.Line, kn.Value, fmt.Sprintf("%s must be a single value", mk.Value)}
			}
			if mv.Tag == "!!null" {
				return "", nil
			}
			return mv.Value, nil
		}
		var err error
		switch mk.Value {
		case "context":
			e.q.Context, err = scalar()
		case "suggested":
			e.q.Suggested, err = scalar()
		case "why":
			e.q.Why, err = scalar()
		case "kind":
			e.q.Kind, err = scalar()
		case "answer":
			e.answerLine = mv.Line
			e.q.Answer, err = scalar()
			e.q.Answer = strings.TrimSpace(e.q.Answer)
		case "choices":
			if mv.Kind != yaml.SequenceNode {
				return e, &DecisionError{name, mv.Line, kn.Value, "choices must be a list"}
			}
			for _, c := range mv.Content {
				e.q.Choices = append(e.q.Choices, c.Value)
			}
		default:
			return e, &DecisionError{name, mk.Line, kn.Value, fmt.Sprintf("unknown member %q (an entry has %s)", mk.Value, strings.Join(entryMembers, ", "))}
		}
		if err != nil {
			return e, err
		}
	}
	return e, nil
}

// keyAtLine finds the question key whose entry holds line (for syntax
// errors, where there is no tree to ask).
func keyAtLine(data []byte, line int) string {
	lines := strings.Split(string(data), "\n")
	if line > len(lines) {
		line = len(lines)
	}
	for i := line - 1; i >= 0; i-- {
		l := lines[i]
		if strings.HasPrefix(l, "  ") && !strings.HasPrefix(l, "   ") {
			if k, _, ok := strings.Cut(strings.TrimSpace(l), ":"); ok && k != "" && !strings.HasPrefix(k, "#") {
				return strings.Trim(k, `"'`)
			}
		}
		if l != "" && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "#") && i < line-1 {
			return "" // reached a top-level key: not inside an entry
		}
	}
	return ""
}

// CheckDecisions checks decisions.yaml (its bytes, as read) against the
// questions a plan asked: every answered key must be one the plan asks
// (open entries no longer asked are simply dropped), and every
// answer must fit the plan's kind for it. Errors name file, line and key.
func CheckDecisions(name string, data []byte, asked *Decisions) error {
	if len(data) == 0 {
		return nil
	}
	entries, _, err := parseEntries(name, data)
	if err != nil {
		return err
	}
	byKey := map[string]*Question{}
	if asked != nil {
		for _, q := range asked.Questions {
			byKey[q.Key] = q
		}
	}
	var errs []error
	for _, e := range entries {
		q := byKey[e.q.Key]
		if q == nil && e.q.Answer == "" {
			continue // an open question p2c itself wrote that is no longer asked: dropped
		}
		if q == nil {
			errs = append(errs, &DecisionError{name, e.line, e.q.Key, "unknown key: the current plan asks no such question (remove the entry, or check its spelling)"})
			continue
		}
		if err := ValidateAnswer(q, e.q.Answer); err != nil {
			errs = append(errs, &DecisionError{name, e.answerLine, e.q.Key, err.Error()})
		}
	}
	return errors.Join(errs...)
}

var (
	uuidRe        = `[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`
	connectInstRe = regexp.MustCompile(`^arn:aws[a-z-]*:connect:([a-z0-9-]+):[0-9]{12}:instance/` + uuidRe + `$`)
	arnRe         = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]*):([0-9]{12})?:\S+$`)
	connectNumRe  = regexp.MustCompile(`^arn:aws[a-z-]*:connect:([a-z0-9-]+):[0-9]{12}:(instance/` + uuidRe + `/)?phone-number/` + uuidRe + `$`)
	eumNumRe      = regexp.MustCompile(`^arn:aws[a-z-]*:sms-voice:([a-z0-9-]+):[0-9]{12}:phone-number/[A-Za-z0-9_-]+$`)
	emailRe       = regexp.MustCompile(`^[^\s@]+@[^\s@]+\.[^\s@]+$`)
	nameRe        = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)
)

// ValidateAnswer checks an answer against its question's kind. The empty
// answer (an open question) is always valid.
func ValidateAnswer(q *Question, answer string) error {
	if answer == "" {
		return nil
	}
	region, _, _ := strings.Cut(q.Key, ".")
	sameRegion := func(got string) error {
		if region != "" && got != "" && strings.Count(region, "-") >= 2 && got != region {
			return fmt.Errorf("%q is in %s, the question is about %s", answer, got, region)
		}
		return nil
	}
	switch q.Kind {
	case KindChoice:
		for _, c := range q.Choices {
			if c == answer {
				return nil
			}
		}
		return fmt.Errorf("answer %q is not one of the choices (%s)", answer, strings.Join(q.Choices, ", "))
	case KindConnectInstanceARN:
		m := connectInstRe.FindStringSubmatch(answer)
		if m == nil {
			return fmt.Errorf("answer %q is not a Connect instance ARN (arn:aws:connect:REGION:ACCOUNT:instance/UUID)", answer)
		}
		return sameRegion(m[1])
	case KindARN:
		if !arnRe.MatchString(answer) {
			return fmt.Errorf("answer %q is not an ARN (arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE)", answer)
		}
	case KindPhoneNumberARN:
		if m := connectNumRe.FindStringSubmatch(answer); m != nil {
			return sameRegion(m[1])
		}
		if m := eumNumRe.FindStringSubmatch(answer); m != nil {
			return sameRegion(m[1])
		}
		return fmt.Errorf("answer %q is not a phone number ARN (Connect arn:aws:connect:REGION:ACCOUNT:phone-number/UUID or End User Messaging arn:aws:sms-voice:REGION:ACCOUNT:phone-number/ID)", answer)
	case KindConnectNumberARN:
		if m := connectNumRe.FindStringSubmatch(answer); m != nil {
			return sameRegion(m[1])
		}
		if eumNumRe.MatchString(answer) {
			return fmt.Errorf("answer %q is an End User Messaging number: campaigns send from Connect numbers; import it into the instance (decision import-number, or the Connect console) and give the Connect phone number ARN", answer)
		}
		return fmt.Errorf("answer %q is not a Connect phone number ARN (arn:aws:connect:REGION:ACCOUNT:phone-number/UUID)", answer)
	case KindEmail:
		if len(answer) > 254 || !emailRe.MatchString(answer) {
			return fmt.Errorf("answer %q is not an email address", answer)
		}
	case KindName:
		if !nameRe.MatchString(answer) {
			return fmt.Errorf("answer %q is not a valid resource name (1-64 letters, digits, - and _)", answer)
		}
	case KindText, "":
	default:
		return fmt.Errorf("unknown kind %q", q.Kind)
	}
	return nil
}

// AcceptSuggested answers every open question with its suggestion (for
// rehearsals) and returns the keys it answered. Questions without a
// suggestion stay open.
func (d *Decisions) AcceptSuggested() []string {
	var keys []string
	for _, q := range d.Questions {
		if q.Answer == "" && q.Suggested != "" && ValidateAnswer(q, q.Suggested) == nil {
			q.Answer = q.Suggested
			keys = append(keys, q.Key)
		}
	}
	return keys
}

// SetAnswer answers one question, checking the answer by the question's
// kind. An empty value reopens the question.
func (d *Decisions) SetAnswer(key, value string) error {
	for _, q := range d.Questions {
		if q.Key == key {
			if err := ValidateAnswer(q, value); err != nil {
				return fmt.Errorf("%s: %w", key, err)
			}
			q.Answer = value
			return nil
		}
	}
	return fmt.Errorf("%s: no such question in decisions.yaml (run p2c plan to see the current questions)", key)
}

// Open returns the keys of the unanswered questions.
func (d *Decisions) Open() []string {
	var out []string
	if d == nil {
		return nil
	}
	for _, q := range d.Questions {
		if q.Answer == "" {
			out = append(out, q.Key)
		}
	}
	return out
}

// Checker confirms that answers naming resources (instances, phone
// numbers, domains) name ones that exist in the target account. The CLI
// passes one when it can reach AWS.
type Checker interface {
	// Check returns an error when the answer to q names a resource that
	// does not exist; it ignores kinds it cannot check.
	Check(ctx context.Context, q *Question) error
}

// CheckExisting runs the checker over every answered question. With a nil
// checker it checks nothing and says so in the returned note.
func CheckExisting(ctx context.Context, d *Decisions, c Checker) (string, error) {
	if c == nil {
		return "answers naming existing resources were not checked against the target account", nil
	}
	var errs []error
	for _, q := range d.Questions {
		if q.Answer == "" {
			continue
		}
		if err := c.Check(ctx, q); err != nil {
			errs = append(errs, fmt.Errorf("%s: %q: %w", q.Key, q.Answer, err))
		}
	}
	return "", errors.Join(errs...)
}

// BindDecisions records in the plan the hash of the decisions.yaml written
// beside it. The written file holds exactly the answers the plan used
// (plus any new open questions), so apply checks the file on disk.
func (p *Plan) BindDecisions(data []byte) { p.Inputs.DecisionsSHA256 = sum(data) }
