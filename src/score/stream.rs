//! Batch scoring of shipment logs (score-log).
