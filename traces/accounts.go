package traces

import (
	"cmp"
	"slices"

	"github.com/filoproject/filo"
)

// accountKey is a platform account as the records name it.
type accountKey struct{ platform, id string }

// accounts numbers the platform accounts the analysis meets, so that the
// passes over millions of sessions index slices instead of joining and
// hashing a reference string per session.
type accounts struct {
	idx   map[accountKey]int32
	byRef map[string]int32
	refs  []string // account → filo.PlatformRef
}

func newAccounts(n int) *accounts {
	return &accounts{idx: make(map[accountKey]int32, n), byRef: make(map[string]int32, n), refs: make([]string, 0, n)}
}

// of returns the account's number, giving it the next one when new. Two
// keys that join to one reference (a colon in a platform name) are one
// account, as they are wherever accounts are named by reference.
func (as *accounts) of(platform, id string) int32 {
	k := accountKey{platform, id}
	if i, ok := as.idx[k]; ok {
		return i
	}
	ref := filo.PlatformRef(platform, id)
	i, ok := as.byRef[ref]
	if !ok {
		i = int32(len(as.refs))
		as.refs = append(as.refs, ref)
		as.byRef[ref] = i
	}
	as.idx[k] = i
	return i
}

// byRefOrder sorts account numbers by their references.
func (as *accounts) byRefOrder(xs []int32) {
	slices.SortFunc(xs, func(x, y int32) int { return cmp.Compare(as.refs[x], as.refs[y]) })
}

// videoCall is a video call session with its account and its peer's.
type videoCall struct{ session, acct, peer int32 }

// sessionAccounts numbers every session's account and lists the video
// calls, in session order, with their peers numbered too. The passes that
// follow read these instead of the sessions' strings. An account is found
// by its platform's and id's codes in the sessions' dictionary: two
// numbers hash at a fraction of the cost of two strings, millions of
// times.
func (a *analysis) sessionAccounts() {
	ss := &a.in.Case.Sessions
	dict := ss.Dict()
	byCodes := map[[2]uint32]int32{}
	of := func(platform, id uint32) int32 {
		k := [2]uint32{platform, id}
		acct, ok := byCodes[k]
		if !ok {
			acct = a.accts.of(dict[platform], dict[id])
			byCodes[k] = acct
		}
		return acct
	}
	a.sessAcct = make([]int32, ss.Len())
	a.calls = nil
	for i := range ss.Len() {
		platform, account, _ := ss.AccountCodes(i)
		a.sessAcct[i] = of(platform, account)
		if ss.At(i).Kind == filo.SessionVideoCall {
			a.calls = append(a.calls, videoCall{session: int32(i), acct: a.sessAcct[i]})
		}
	}
	for k := range a.calls {
		platform, _, peer := ss.AccountCodes(int(a.calls[k].session))
		a.calls[k].peer = of(platform, peer)
	}
}
