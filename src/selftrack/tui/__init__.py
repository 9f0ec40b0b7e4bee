"""The terminal program (Textual). Imported only when the program is opened.

`app` holds the App and its type-ahead; `screens/` one module per screen; `widgets/` the
program's own widgets; `core` is how every screen reaches the Tracker (one worker helper);
`messages` the typed results. `home_view` and `prefetch` import no Textual: the home screen's
figures are read and drawn there, by a child process while Textual loads (on Linux).
"""
