package blueprint

import "sort"

// Question is one judgment call a person must make. Stages ask questions;
// decisions.yaml holds them with their answers.
type Question struct {
	// Key is stable: region.topic[.resource], e.g.
	// "us-east-1.connect-instance" or "us-east-1.sms-number.<campaign>".
	Key string `yaml:"-" json:"key"`
	// Context says what the question is about and why it matters.
	Context string `yaml:"context" json:"context"`
	// Choices, when the answer is one of a fixed set.
	Choices []string `yaml:"choices,omitempty" json:"choices,omitempty"`
	// Suggested is p2c's suggestion and Why its reason.
	Suggested string `yaml:"suggested" json:"suggested"`
	Why       string `yaml:"why" json:"why"`
	// Kind says how answers are checked: "choice" (one of Choices),
	// "connect-instance-arn", "arn", "phone-number-arn", "email",
	// "name" (an AWS resource name), "text".
	Kind string `yaml:"kind" json:"kind"`
	// Answer is the person's answer; "" while open.
	Answer string `yaml:"answer" json:"answer"`
}

// Decisions is decisions.yaml: every open question and its answer.
type Decisions struct {
	Version   int         `json:"version"`
	Questions []*Question `json:"questions"`
}

func (d *Decisions) answer(key string) string {
	if d == nil {
		return ""
	}
	for _, q := range d.Questions {
		if q.Key == key {
			return q.Answer
		}
	}
	return ""
}

// merge returns the questions a plan asked, keeping the answers given
// before (re-planning never loses an answer) and the wording of the
// current questions. Answers to questions no longer asked are dropped by
// the caller's validation, which names them.
func (d *Decisions) merge(asked map[string]*Question) *Decisions {
	out := &Decisions{Version: 1}
	for _, key := range sortedKeys(asked) {
		q := *asked[key]
		q.Key = key
		q.Answer = d.answer(key)
		out.Questions = append(out.Questions, &q)
	}
	sort.Slice(out.Questions, func(i, j int) bool { return out.Questions[i].Key < out.Questions[j].Key })
	return out
}
