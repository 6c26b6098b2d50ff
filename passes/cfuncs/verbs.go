package cfuncs

import "strings"

// A releaseVerb is a verb that, with a C type's name, names a function
// releasing objects of that type: git_repository_free,
// rd_kafka_conf_destroy, virDomainFree, xmlFreeDoc. It is the one table
// of such verbs, for the pairing of declared types (HeaderFuncs) and the
// Go side's pairing of argument types (ssaflow.TypeDestructor).
type releaseVerb struct {
	verb string
	// certain: the verb ends the object's life in the libraries read so
	// far, so a declared function named the type plus it is the type's
	// release function (HeaderFuncs makes it Frees). The other verbs
	// (cleanup, finish, term, ...) end an operation as often as an object
	// (git_rebase_finish): they only may release, so the Go side's pairing
	// ends a leak path with them and never reports a double free by them.
	certain bool
}

// releaseVerbs in order of preference: when a type has several release
// functions (virDomainFree, virDomainDestroy, which powers the domain
// off), the first is its release function.
var releaseVerbs = []releaseVerb{
	{"free", true}, {"destroy", true}, {"unref", true}, {"release", true},
	{"dispose", true}, {"finalize", true}, {"close", true}, {"delete", true},
	{"cleanup", false}, {"dealloc", false}, {"deinit", false}, {"fini", false},
	{"finish", false}, {"term", false},
}

// IsReleaseVerb reports whether word, in lower case, is a verb that may
// name a release function together with a type's name.
func IsReleaseVerb(word string) bool {
	for _, v := range releaseVerbs {
		if v.verb == word {
			return true
		}
	}
	return false
}

// certainReleaseVerb returns the rank among the release verbs of the
// certain verb that name is stem followed by (stem_verb or stemVerb), or
// -1.
func certainReleaseVerb(name, stem string) int {
	rest, ok := strings.CutPrefix(name, stem)
	if !ok {
		return -1
	}
	for i, v := range releaseVerbs {
		if v.certain && (rest == "_"+v.verb || rest == strings.ToUpper(v.verb[:1])+v.verb[1:]) {
			return i
		}
	}
	return -1
}
