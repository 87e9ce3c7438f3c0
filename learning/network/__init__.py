"""Learning that reaches the network: sharing events (an online session for the wider network, with public
registration, a capacity and a waitlist) and the monthly network digest (double opt-in, one email per subscriber
per month, previewed and sent by the manager)."""
