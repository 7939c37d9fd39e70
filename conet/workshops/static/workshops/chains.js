// Which board events a screen has heard, so that after a lost connection it asks for every one it
// may have missed (conet/workshops/events.py, "A phone's gaps"). Events come numbered, but with
// several server processes they can arrive out of number order, and a phone hears only its table's
// events and the workshop-wide ones. Each event names `prev`, the number before it for the same
// screens, so the events form chains: one per table and one for the workshop-wide events. A chain
// is complete up to some number; hello asks for everything after the lowest of them, and the
// screen drops what it hears twice.
(function () {
  "use strict";

  function Chains(start) {
    this.base = start || 0;   // every event up to here has been heard (page load, "synced")
    this.complete = {};       // chain → the number up to which it has no gap
    this.waiting = {};        // chain → {prev: seq} for events heard before their predecessor
  }

  Chains.key = function (event) {
    return event.table === null || event.table === undefined ? "wide" : "t" + event.table;
  };

  Chains.prototype.heard = function (event) {
    var chain = Chains.key(event);
    if (this.complete[chain] === undefined) {
      this.complete[chain] = this.base;
      this.waiting[chain] = {};
    }
    this.waiting[chain][event.prev || 0] = event.seq;
    this.settle(chain);
  };

  // Every event up to `seq` has been heard (the server's "synced").
  Chains.prototype.through = function (seq) {
    this.base = Math.max(this.base, seq);
    for (var chain in this.complete) {
      this.complete[chain] = Math.max(this.complete[chain], this.base);
      this.settle(chain);
    }
  };

  Chains.prototype.settle = function (chain) {
    var waiting = this.waiting[chain];
    var moved = true;
    while (moved) {
      moved = false;
      for (var prev in waiting) {
        if (Number(prev) <= this.complete[chain]) {
          this.complete[chain] = Math.max(this.complete[chain], waiting[prev]);
          delete waiting[prev];
          moved = true;
        }
      }
    }
  };

  // The number to say hello with: everything after it is sent again.
  Chains.prototype.since = function () {
    var lowest = this.base;
    var first = true;
    for (var chain in this.complete) {
      if (first || this.complete[chain] < lowest) lowest = this.complete[chain];
      first = false;
    }
    return first ? this.base : lowest;
  };

  window.ConetChains = Chains;
})();
