package live

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	sv "github.com/aws/aws-sdk-go-v2/service/pinpointsmsvoicev2"
	"golang.org/x/sync/errgroup"

	"github.com/p2c/p2c/internal/inventory"
)

// eumScan reads AWS End User Messaging SMS and voice v2 (JSON 1.0). These
// resources continue after Pinpoint's end of support and stay untouched;
// the inventory records them so the plan can point at them.
type eumScan struct {
	s      *scanner
	c      *sv.Client
	region string
}

type svOpt = func(*sv.Options)

// list pages through a Describe*/List* operation whose items sit under
// itemsKey.
func (e *eumScan) list(ctx context.Context, op, itemsKey string, fn func(context.Context, *string, svOpt) error) ([]json.RawMessage, error) {
	if e.s.skipped(e.region, svcSMSVoice, op) {
		return nil, errSkipped
	}
	var all []json.RawMessage
	var tok *string
	for {
		if err := e.s.acquire(ctx, e.region, svcSMSVoice, op); err != nil {
			return all, err
		}
		c := &capture{}
		err := fn(ctx, tok, func(o *sv.Options) { o.APIOptions = append(o.APIOptions, c.addTo) })
		e.s.release()
		if err != nil {
			return all, err
		}
		items, next, err := parsePage(c.body, itemsKey)
		if err != nil {
			return all, fmt.Errorf("%s: %w", op, err)
		}
		all = append(all, items...)
		if next == "" {
			return all, nil
		}
		if tok != nil && *tok == next {
			return all, fmt.Errorf("%s: the service repeated page token %q", op, next)
		}
		tok = aws.String(next)
	}
}

func (e *eumScan) fail(ctx context.Context, op, resource string, err error) error {
	return e.s.fail(ctx, e.region, svcSMSVoice, op, resource, err)
}

func (e *eumScan) scan(ctx context.Context) (inventory.EUM, error) {
	var out inventory.EUM
	mr := aws.Int32(maxResults)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		const op = "DescribePhoneNumbers"
		items, err := e.list(gctx, op, "PhoneNumbers", func(ctx context.Context, tok *string, o svOpt) error {
			_, err := e.c.DescribePhoneNumbers(ctx, &sv.DescribePhoneNumbersInput{MaxResults: mr, NextToken: tok}, o)
			return err
		})
		if err != nil {
			return e.fail(gctx, op, "", err)
		}
		out.PhoneNumbers = objects(items, "PhoneNumberId")
		return nil
	})
	g.Go(func() error {
		const op = "DescribeSenderIds"
		items, err := e.list(gctx, op, "SenderIds", func(ctx context.Context, tok *string, o svOpt) error {
			_, err := e.c.DescribeSenderIds(ctx, &sv.DescribeSenderIdsInput{MaxResults: mr, NextToken: tok}, o)
			return err
		})
		if err != nil {
			return e.fail(gctx, op, "", err)
		}
		// A sender id is unique per country, so the key is both.
		out.SenderIDs = make([]inventory.Object, 0, len(items))
		for _, it := range items {
			out.SenderIDs = append(out.SenderIDs, inventory.Object{ID: field(it, "SenderId") + "/" + field(it, "IsoCountryCode"), Object: it})
		}
		return nil
	})
	g.Go(func() error {
		const op = "DescribePools"
		items, err := e.list(gctx, op, "Pools", func(ctx context.Context, tok *string, o svOpt) error {
			_, err := e.c.DescribePools(ctx, &sv.DescribePoolsInput{MaxResults: mr, NextToken: tok}, o)
			return err
		})
		if err != nil {
			return e.fail(gctx, op, "", err)
		}
		out.Pools = make([]inventory.Pool, len(items))
		pg, pctx := errgroup.WithContext(gctx)
		for i, it := range items {
			pool := &out.Pools[i]
			pool.ID, pool.Object = field(it, "PoolId"), it
			pg.Go(func() error {
				const op = "ListPoolOriginationIdentities"
				ids, err := e.list(pctx, op, "OriginationIdentities", func(ctx context.Context, tok *string, o svOpt) error {
					_, err := e.c.ListPoolOriginationIdentities(ctx, &sv.ListPoolOriginationIdentitiesInput{PoolId: aws.String(pool.ID), MaxResults: mr, NextToken: tok}, o)
					return err
				})
				if err != nil {
					return e.fail(pctx, op, pool.ID, err)
				}
				pool.OriginationIdentities = ids
				return nil
			})
		}
		return pg.Wait()
	})
	g.Go(func() error {
		const op = "DescribeConfigurationSets"
		items, err := e.list(gctx, op, "ConfigurationSets", func(ctx context.Context, tok *string, o svOpt) error {
			_, err := e.c.DescribeConfigurationSets(ctx, &sv.DescribeConfigurationSetsInput{MaxResults: mr, NextToken: tok}, o)
			return err
		})
		if err != nil {
			return e.fail(gctx, op, "", err)
		}
		out.ConfigurationSets = objects(items, "ConfigurationSetName")
		return nil
	})
	g.Go(func() error {
		const op = "DescribeOptOutLists"
		items, err := e.list(gctx, op, "OptOutLists", func(ctx context.Context, tok *string, o svOpt) error {
			_, err := e.c.DescribeOptOutLists(ctx, &sv.DescribeOptOutListsInput{MaxResults: mr, NextToken: tok}, o)
			return err
		})
		if err != nil {
			return e.fail(gctx, op, "", err)
		}
		out.OptOutLists = make([]inventory.OptOutList, len(items))
		lg, lctx := errgroup.WithContext(gctx)
		for i, it := range items {
			l := &out.OptOutLists[i]
			l.Name, l.Object = field(it, "OptOutListName"), it
			lg.Go(func() error {
				const op = "DescribeOptedOutNumbers"
				nums, err := e.list(lctx, op, "OptedOutNumbers", func(ctx context.Context, tok *string, o svOpt) error {
					_, err := e.c.DescribeOptedOutNumbers(ctx, &sv.DescribeOptedOutNumbersInput{OptOutListName: aws.String(l.Name), MaxResults: mr, NextToken: tok}, o)
					return err
				})
				if err != nil {
					return e.fail(lctx, op, l.Name, err)
				}
				l.OptedOutNumbers = nums
				return nil
			})
		}
		return lg.Wait()
	})
	g.Go(func() error {
		const op = "DescribeRegistrations"
		items, err := e.list(gctx, op, "Registrations", func(ctx context.Context, tok *string, o svOpt) error {
			_, err := e.c.DescribeRegistrations(ctx, &sv.DescribeRegistrationsInput{MaxResults: mr, NextToken: tok}, o)
			return err
		})
		if err != nil {
			return e.fail(gctx, op, "", err)
		}
		out.Registrations = objects(items, "RegistrationId")
		return nil
	})
	if err := g.Wait(); err != nil {
		return out, err
	}
	// Keywords belong to an origination identity: every phone number and
	// every pool.
	var ids []string
	for _, p := range out.PhoneNumbers {
		ids = append(ids, p.ID)
	}
	for _, p := range out.Pools {
		ids = append(ids, p.ID)
	}
	out.Keywords = make([]inventory.KeywordSet, len(ids))
	kg, kctx := errgroup.WithContext(ctx)
	for i, id := range ids {
		out.Keywords[i].OriginationIdentity = id
		kg.Go(func() error {
			const op = "DescribeKeywords"
			kws, err := e.list(kctx, op, "Keywords", func(ctx context.Context, tok *string, o svOpt) error {
				_, err := e.c.DescribeKeywords(ctx, &sv.DescribeKeywordsInput{OriginationIdentity: aws.String(id), MaxResults: mr, NextToken: tok}, o)
				return err
			})
			if err != nil {
				return e.fail(kctx, op, id, err)
			}
			out.Keywords[i].Keywords = kws
			return nil
		})
	}
	err := kg.Wait()
	// Drop identities whose keywords could not be read.
	kept := out.Keywords[:0]
	for _, k := range out.Keywords {
		if k.Keywords != nil {
			kept = append(kept, k)
		}
	}
	out.Keywords = kept
	return out, err
}
