package smsvoice

import (
	"slices"
	"strings"

	"github.com/p2c/p2c/internal/emulator/core"
)

type optOutList struct {
	OptOutListArn    string
	OptOutListName   string
	CreatedTimestamp epoch

	numbers *store[optedOut] // by E.164 number with its "+"
	tags    []tag
}

type optedOut struct {
	OptedOutNumber    string
	OptedOutTimestamp epoch
	EndUserOptedOut   bool
}

// e164 normalises a number to carry its leading "+", which the model's
// pattern leaves optional.
func e164(n string) string {
	if strings.HasPrefix(n, "+") {
		return n
	}
	return "+" + n
}

type createOptOutListIn struct {
	OptOutListName string
	Tags           []tag
	ClientToken    *string
}

func createOptOutList(r *region, c *core.Call, in *createOptOutListIn) (any, *core.Error) {
	return r.idempotent(c, in.ClientToken, func() (any, *core.Error) {
		if _, ok := r.optOuts.get(in.OptOutListName); ok {
			return nil, conflict("RESOURCE_ALREADY_EXISTS", "opt-out-list", in.OptOutListName, "Opt-out list %s already exists.", in.OptOutListName)
		}
		l := &optOutList{OptOutListArn: arn(c, "opt-out-list", in.OptOutListName), OptOutListName: in.OptOutListName,
			CreatedTimestamp: epoch(c.Now), numbers: newStore[optedOut](), tags: in.Tags}
		r.optOuts.put(l.OptOutListName, l)
		return withTags(l, l.tags), nil
	})
}

type optOutListNameIn struct {
	OptOutListName string
}

func deleteOptOutList(r *region, c *core.Call, in *optOutListNameIn) (any, *core.Error) {
	l, e := r.optOutList(c, &in.OptOutListName)
	if e != nil {
		return nil, e
	}
	for _, n := range r.phones.list() {
		if n.OptOutListName == l.OptOutListName {
			return nil, conflict("RESOURCE_DELETION_NOT_ALLOWED", "opt-out-list", l.OptOutListName, "Opt-out list %s is used by phone number %s.", l.OptOutListName, n.PhoneNumberId)
		}
	}
	for _, p := range r.pools.list() {
		if p.OptOutListName == l.OptOutListName {
			return nil, conflict("RESOURCE_DELETION_NOT_ALLOWED", "opt-out-list", l.OptOutListName, "Opt-out list %s is used by pool %s.", l.OptOutListName, p.PoolId)
		}
	}
	r.optOuts.del(l.OptOutListName)
	return l, nil
}

type describeOptOutListsIn struct {
	paging
	OptOutListNames []string
}

func describeOptOutLists(r *region, c *core.Call, in *describeOptOutListsIn) (any, *core.Error) {
	var items []*optOutList
	if len(in.OptOutListNames) > 0 {
		for _, v := range in.OptOutListNames {
			l, e := r.optOutList(c, &v)
			if e != nil {
				return nil, e
			}
			items = append(items, l)
		}
	} else if in.Owner != "SHARED" {
		items = r.optOuts.list()
	}
	pg, next, e := page("DescribeOptOutLists", in.paging, items)
	if e != nil {
		return nil, e
	}
	return map[string]any{"OptOutLists": pg, "NextToken": nonEmpty(next)}, nil
}

type optedOutNumberIn struct {
	OptOutListName string
	OptedOutNumber string
}

func optedOutOut(l *optOutList, o *optedOut) map[string]any {
	return map[string]any{"OptOutListArn": l.OptOutListArn, "OptOutListName": l.OptOutListName,
		"OptedOutNumber": o.OptedOutNumber, "OptedOutTimestamp": o.OptedOutTimestamp, "EndUserOptedOut": o.EndUserOptedOut}
}

func putOptedOutNumber(r *region, c *core.Call, in *optedOutNumberIn) (any, *core.Error) {
	l, e := r.optOutList(c, &in.OptOutListName)
	if e != nil {
		return nil, e
	}
	n := e164(in.OptedOutNumber)
	o := &optedOut{OptedOutNumber: n, OptedOutTimestamp: epoch(c.Now)}
	l.numbers.put(n, o)
	return optedOutOut(l, o), nil
}

func deleteOptedOutNumber(r *region, c *core.Call, in *optedOutNumberIn) (any, *core.Error) {
	l, e := r.optOutList(c, &in.OptOutListName)
	if e != nil {
		return nil, e
	}
	n := e164(in.OptedOutNumber)
	o, ok := l.numbers.get(n)
	if !ok {
		return nil, notFound("opted-out-number", in.OptedOutNumber)
	}
	// A number the end user opted out themselves can only be opted back in
	// by them (by texting a keyword), never by the account.
	if o.EndUserOptedOut {
		return nil, invalid("PHONE_NUMBER_CANNOT_BE_OPTED_IN", "Phone number "+n+" was opted out by the end user.", "OptedOutNumber")
	}
	l.numbers.del(n)
	return optedOutOut(l, o), nil
}

type describeOptedOutNumbersIn struct {
	paging
	OptOutListName  string
	OptedOutNumbers []string
	Filters         []filter
}

func describeOptedOutNumbers(r *region, c *core.Call, in *describeOptedOutNumbersIn) (any, *core.Error) {
	l, e := r.optOutList(c, &in.OptOutListName)
	if e != nil {
		return nil, e
	}
	var items []*optedOut
	if len(in.OptedOutNumbers) > 0 {
		for _, v := range in.OptedOutNumbers {
			o, ok := l.numbers.get(e164(v))
			if !ok {
				return nil, notFound("opted-out-number", v)
			}
			items = append(items, o)
		}
	} else {
		items = l.numbers.list()
	}
	items = slices.DeleteFunc(items, func(o *optedOut) bool {
		return !match(in.Filters, func(name string) []string {
			if name == "end-user-opted-out" {
				return boolStr(o.EndUserOptedOut)
			}
			return nil
		})
	})
	pg, next, e := page("DescribeOptedOutNumbers/"+l.OptOutListName, in.paging, items)
	if e != nil {
		return nil, e
	}
	return map[string]any{"OptOutListArn": l.OptOutListArn, "OptOutListName": l.OptOutListName, "OptedOutNumbers": pg, "NextToken": nonEmpty(next)}, nil
}
