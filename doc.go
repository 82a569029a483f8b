// Package filo holds the domain of filo: the records a case folder brings
// (parties, accounts, transactions, platform accounts, sessions, subscribers,
// messages, watchlist entries), what analysis makes of them (entities, links,
// leads with reasons and evidence), the store interfaces and the error
// vocabulary.
//
// It imports nothing of ours and no database, HTTP or file-format package:
// adapters (sqlite, postgres, casefolder, httpapi) and analysis packages
// (resolve, detect, traces) depend on it, never the other way round.
package filo
