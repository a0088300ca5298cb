// Package demoseed holds the seeds `p2c demo` and the tests start the
// emulator with.
//
// Demo is the source side: the Pinpoint and End User Messaging account of
// "Northwind Outfitters", an invented outdoor retailer, as it stood when
// Pinpoint's engagement features reached end of support. It is built from
// the create calls a team would have made over the years, so that every
// scanner, assessor and planner in p2c meets the whole breadth of what
// Pinpoint let people build: every channel, every segment dimension, every
// journey activity, templates with versions, A/B campaigns, imported
// segments, some ten thousand endpoints and 90 days of analytics. It ends
// with the target side (Target): the Connect account Northwind prepared
// for the migration, and DemoAnswers answers the plan's decisions with it.
//
// Everything is fixed: names, dates (planned around a reference date of
// 2026-09-01, before the end of support on 2026-10-30) and generated data
// (a math/rand/v2 PCG source with a constant seed), so Demo returns the same
// seed on every call and golden files stay stable.
package demoseed

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"

	"github.com/p2c/p2c/internal/emulator"
)

// Region is the home region of Northwind's account; Europe is served by one
// small app in EURegion.
const (
	Region   = "us-east-1"
	EURegion = "eu-west-1"
)

// Account is the account id every ARN in the seed names; it is the one the
// emulator answers as.
const Account = "111122223333"

// M and L keep the recorded inputs readable.
type (
	M = map[string]any
	L = []any
)

// builder records calls in order.
type builder struct {
	calls []emulator.Call
	rng   *rand.Rand

	// What the analytics figures need to know of what was created.
	camps []campMeta
	jrns  []jrnMeta
}

func newBuilder() *builder {
	// A fixed PCG seed: generated endpoints and figures never change.
	return &builder{rng: rand.New(rand.NewPCG(20260901, 1030))}
}

func (b *builder) add(region, service, op string, in M, save map[string]string) {
	b.calls = append(b.calls, emulator.Call{Service: service, Operation: op, Region: region, Input: in, Save: save})
}

// pp records a Pinpoint call in the home region.
func (b *builder) pp(op string, in M) { b.add("", "pinpoint", op, in, nil) }

// ppID records a Pinpoint call and saves the response's Id as ${name}.
func (b *builder) ppID(op string, in M, name string) {
	b.add("", "pinpoint", op, in, map[string]string{name: "Id"})
}

// sv records an End User Messaging SMS and voice v2 call.
func (b *builder) sv(op string, in M, save map[string]string) {
	b.add("", "pinpoint-sms-voice-v2", op, in, save)
}

// Demo returns the Northwind Outfitters source account.
func Demo() *emulator.Seed {
	b := newBuilder()
	b.endUserMessaging()
	b.apps()
	b.recommenders()
	b.templates()
	b.endpoints()
	b.segments()
	b.campaigns()
	b.journeys()
	b.europe()
	b.metrics()
	// The target comes last, so the source side's ids do not depend on it.
	b.target(true)
	return &emulator.Seed{
		SeedVersion: emulator.SeedVersion,
		Description: "Northwind Outfitters: an outdoor retailer's Pinpoint and End User Messaging account " +
			"(retail web and mobile app, loyalty app, payment alerts app in us-east-1; a small storefront app in eu-west-1), " +
			"as it stood at Pinpoint's end of support, and its Connect side ready for the migration (see Target). " +
			"Schedules are planned around 2026-09-01.",
		Region: Region,
		Calls:  normalize(b.calls),
	}
}

// normalize turns every input into plain JSON values (maps, []any,
// float64), the form a seed file decodes to, so that ${name} references
// anywhere in an input are substituted and a written seed reads back equal.
func normalize(calls []emulator.Call) []emulator.Call {
	for i := range calls {
		raw, err := json.Marshal(calls[i].Input)
		if err != nil {
			panic(fmt.Sprintf("demoseed: call %d (%s): %v", i+1, calls[i].Operation, err))
		}
		var in M
		if err := json.Unmarshal(raw, &in); err != nil {
			panic(fmt.Sprintf("demoseed: call %d (%s): %v", i+1, calls[i].Operation, err))
		}
		calls[i].Input = in
	}
	return calls
}

// ARNs of the resources outside Pinpoint that Northwind's setup names.
// They are never called; they only have to look right.

func iamRole(name string) string { return "arn:aws:iam::" + Account + ":role/" + name }

func lambdaARN(name string) string {
	return "arn:aws:lambda:" + Region + ":" + Account + ":function:" + name
}

func kinesisARN(region, name string) string {
	return "arn:aws:kinesis:" + region + ":" + Account + ":stream/" + name
}

func sesIdentity(region, domain string) string {
	return "arn:aws:ses:" + region + ":" + Account + ":identity/" + domain
}

func list(xs ...string) L {
	out := make(L, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

func jsonString(v any) string {
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(raw)
}
