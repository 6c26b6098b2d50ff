package csignal

// Two sigaction idioms of C code give no signal a new disposition that
// fights Go's, and csignal exempts them; the C front end (package csrc)
// recognises them in the package's C functions:
//
//	struct sigaction sa;
//	sigaction(sig, NULL, &sa);   // read the disposition in force
//	sa.sa_flags |= SA_ONSTACK;   // change only its flags
//	sigaction(sig, &sa, NULL);   // and put it back
//
// (cfuncs.Func.Reinstalls: GUI bindings use it to add SA_ONSTACK to the
// handlers a C toolkit installed; it keeps whatever handler is in force,
// Go's included), and sigaction(sig, &sa, &old), which saves the action it
// replaces (cfuncs.Func.SavesOld: the os/signal docs ask C handlers to
// forward to the Go handler they replace, and saving it is how that
// starts, so such a handler is assumed to forward; only its flags are
// checked).
