//! Handle table: the only way TypeScript refers to a bridge object.
//!
//! TypeScript never holds a raw pointer to a bridge object. It holds a 48-bit id made of
//! a slot index and a generation. Every export resolves the id under the table lock and
//! checks the generation and the kind, so a double free, a use after free, a forged or
//! foreign id, or a client passed where a worker is expected is an error value, never a
//! crash. Ids fit in a JS Number (< 2^53) so bun:ffi can pass them without BigInt.
//!
//! Lifetimes are reference counts on the object header: the table holds one reference
//! while the id is live, and every in-flight native call holds one more. Removing the id
//! (the "free" export) drops the table's reference; the object is destroyed when the last
//! in-flight call releases it.
const std = @import("std");
const errors = @import("errors.zig");

pub const Kind = enum(u8) {
    runtime = 0,
    client = 1,
    worker = 2,
    replayer = 3,
    server = 4,
    pending = 5,
    buffer = 6,
    metric = 7,

    pub const count = @typeInfo(Kind).@"enum".fields.len;
};

/// Embedded as the field `header` in every object the table can hold.
pub const Header = struct {
    kind: Kind,
    refs: std.atomic.Value(u32) = .init(1),
    /// The object's id while it is in the table, 0 otherwise. Written under the table lock.
    id: u64 = 0,
    destroy_fn: *const fn (*Header) void,
    /// Link for the reaper list (objects whose destruction must run on the JS thread).
    next_reap: ?*Header = null,

    pub fn retain(self: *Header) void {
        const previous = self.refs.fetchAdd(1, .monotonic);
        std.debug.assert(previous > 0); // Retaining a dead object is a bridge bug.
        std.debug.assert(previous < std.math.maxInt(u32));
    }

    /// Drops one reference; the last one destroys the object.
    pub fn release(self: *Header) void {
        const previous = self.refs.fetchSub(1, .acq_rel);
        std.debug.assert(previous > 0); // Over-release is a bridge bug.
        if (previous == 1) self.destroy_fn(self);
    }
};

pub const index_bits = 16;
pub const capacity: u32 = 1 << index_bits;
const index_mask: u64 = capacity - 1;

pub const LookupError = error{ InvalidHandle, WrongKind };

const Slot = struct {
    generation: u32 = 0,
    object: ?*Header = null,
    next_free: u32 = 0,
};

pub const Table = struct {
    mutex: std.Thread.Mutex = .{},
    slots: [capacity]Slot = [_]Slot{.{}} ** capacity,
    /// Head of the free list; `capacity` means "empty". Slots above `high_water` were never used.
    free_head: u32 = capacity,
    high_water: u32 = 0,
    live_by_kind: [Kind.count]u32 = [_]u32{0} ** Kind.count,

    /// Registers `header` (transferring the caller's reference to the table) and returns its id.
    pub fn insert(self: *Table, header: *Header) error{Capacity}!u64 {
        self.mutex.lock();
        defer self.mutex.unlock();
        std.debug.assert(header.id == 0);
        std.debug.assert(header.refs.load(.monotonic) >= 1);
        const index: u32 = if (self.free_head != capacity) blk: {
            const i = self.free_head;
            self.free_head = self.slots[i].next_free;
            break :blk i;
        } else if (self.high_water < capacity) blk: {
            const i = self.high_water;
            self.high_water += 1;
            break :blk i;
        } else return error.Capacity;
        const slot = &self.slots[index];
        std.debug.assert(slot.object == null);
        // Generation 0 is never issued, so id 0 is never valid.
        slot.generation +%= 1;
        if (slot.generation == 0) slot.generation = 1;
        slot.object = header;
        const id = (@as(u64, slot.generation) << index_bits) | index;
        header.id = id;
        self.live_by_kind[@intFromEnum(header.kind)] += 1;
        return id;
    }

    fn slotFor(self: *Table, id: u64, kind: Kind) LookupError!*Slot {
        if (id == 0 or id >> (index_bits + 32) != 0) return error.InvalidHandle;
        const index: u32 = @intCast(id & index_mask);
        if (index >= self.high_water) return error.InvalidHandle;
        const slot = &self.slots[index];
        const object = slot.object orelse return error.InvalidHandle;
        if (@as(u64, slot.generation) != id >> index_bits) return error.InvalidHandle;
        if (object.kind != kind) return error.WrongKind;
        std.debug.assert(object.id == id);
        return slot;
    }

    /// Returns the object with one extra reference, which the caller must release.
    pub fn acquire(self: *Table, id: u64, kind: Kind) LookupError!*Header {
        self.mutex.lock();
        defer self.mutex.unlock();
        const slot = try self.slotFor(id, kind);
        const object = slot.object.?;
        object.retain();
        return object;
    }

    /// Whether `id` is live and of `kind`, without taking a reference.
    pub fn isLive(self: *Table, id: u64, kind: Kind) bool {
        self.mutex.lock();
        defer self.mutex.unlock();
        _ = self.slotFor(id, kind) catch return false;
        return true;
    }

    /// Unregisters the id and hands the table's reference to the caller.
    pub fn remove(self: *Table, id: u64, kind: Kind) LookupError!*Header {
        self.mutex.lock();
        defer self.mutex.unlock();
        const slot = try self.slotFor(id, kind);
        const object = slot.object.?;
        const index: u32 = @intCast(id & index_mask);
        slot.object = null;
        slot.next_free = self.free_head;
        self.free_head = index;
        object.id = 0;
        std.debug.assert(self.live_by_kind[@intFromEnum(object.kind)] > 0);
        self.live_by_kind[@intFromEnum(object.kind)] -= 1;
        return object;
    }

    /// Every live object of `kind`, each with one extra reference the caller must release.
    /// The slice is allocated with `allocator`.
    pub fn retainLive(self: *Table, kind: Kind, allocator: std.mem.Allocator) error{OutOfMemory}![]*Header {
        self.mutex.lock();
        defer self.mutex.unlock();
        const out = try allocator.alloc(*Header, self.live_by_kind[@intFromEnum(kind)]);
        var n: usize = 0;
        for (self.slots[0..self.high_water]) |slot| {
            const object = slot.object orelse continue;
            if (object.kind != kind) continue;
            object.retain();
            out[n] = object;
            n += 1;
        }
        std.debug.assert(n == out.len);
        return out;
    }

    pub fn live(self: *Table, kind: Kind) u32 {
        self.mutex.lock();
        defer self.mutex.unlock();
        return self.live_by_kind[@intFromEnum(kind)];
    }
};

/// Maps a lookup failure to the export's error return, naming what was expected.
pub fn lookupFailed(err: LookupError, id: u64, kind: Kind) i64 {
    return switch (err) {
        error.InvalidHandle => errors.fail(.invalid_handle, "{s} handle {d} is not live (never created, already freed, or not a handle)", .{ @tagName(kind), id }),
        error.WrongKind => errors.fail(.wrong_kind, "handle {d} is not a {s} handle", .{ id, @tagName(kind) }),
    };
}

// ---------------------------------------------------------------------------- tests

const testing = std.testing;

const TestObject = struct {
    header: Header,
    destroyed: *u32,

    fn destroy(h: *Header) void {
        const self: *TestObject = @fieldParentPtr("header", h);
        self.destroyed.* += 1;
    }
};

test "insert, acquire, remove: ids validate generation and kind" {
    const table = try testing.allocator.create(Table);
    defer testing.allocator.destroy(table);
    table.* = .{};
    var destroyed: u32 = 0;
    var obj = TestObject{ .header = .{ .kind = .client, .destroy_fn = TestObject.destroy }, .destroyed = &destroyed };

    const id = try table.insert(&obj.header);
    try testing.expect(id != 0);
    try testing.expect(id < (1 << 53));
    try testing.expectEqual(@as(u32, 1), table.live(.client));

    const got = try table.acquire(id, .client);
    try testing.expectEqual(&obj.header, got);
    got.release();
    try testing.expectError(error.WrongKind, table.acquire(id, .worker));
    try testing.expectError(error.InvalidHandle, table.acquire(0, .client));
    try testing.expectError(error.InvalidHandle, table.acquire(id + 1, .client));
    try testing.expectError(error.InvalidHandle, table.acquire(0xdead_beef_0000_0000, .client));

    const removed = try table.remove(id, .client);
    try testing.expectEqual(@as(u32, 0), table.live(.client));
    // Double free and use after free are errors, not crashes.
    try testing.expectError(error.InvalidHandle, table.remove(id, .client));
    try testing.expectError(error.InvalidHandle, table.acquire(id, .client));
    removed.release();
    try testing.expectEqual(@as(u32, 1), destroyed);

    // The slot is reused with a new generation: the stale id stays invalid.
    var obj2 = TestObject{ .header = .{ .kind = .client, .destroy_fn = TestObject.destroy }, .destroyed = &destroyed };
    const id2 = try table.insert(&obj2.header);
    try testing.expect(id2 != id);
    try testing.expectEqual(id & index_mask, id2 & index_mask);
    try testing.expectError(error.InvalidHandle, table.acquire(id, .client));
    (try table.remove(id2, .client)).release();
}

test "the last reference destroys, whoever drops it" {
    const table = try testing.allocator.create(Table);
    defer testing.allocator.destroy(table);
    table.* = .{};
    var destroyed: u32 = 0;
    var obj = TestObject{ .header = .{ .kind = .worker, .destroy_fn = TestObject.destroy }, .destroyed = &destroyed };
    const id = try table.insert(&obj.header);
    const in_flight = try table.acquire(id, .worker); // a native call in progress
    (try table.remove(id, .worker)).release(); // user frees the worker mid-call
    try testing.expectEqual(@as(u32, 0), destroyed);
    in_flight.release(); // the call ends
    try testing.expectEqual(@as(u32, 1), destroyed);
}

test "capacity is bounded" {
    const table = try testing.allocator.create(Table);
    defer testing.allocator.destroy(table);
    table.* = .{};
    var destroyed: u32 = 0;
    const objects = try testing.allocator.alloc(TestObject, capacity + 1);
    defer testing.allocator.free(objects);
    for (objects[0..capacity]) |*o| {
        o.* = .{ .header = .{ .kind = .buffer, .destroy_fn = TestObject.destroy }, .destroyed = &destroyed };
        _ = try table.insert(&o.header);
    }
    objects[capacity] = .{ .header = .{ .kind = .buffer, .destroy_fn = TestObject.destroy }, .destroyed = &destroyed };
    try testing.expectError(error.Capacity, table.insert(&objects[capacity].header));
    try testing.expectEqual(capacity, table.live(.buffer));
}
