//! Evaluation of alerts against planted networks (eval-alerts).
