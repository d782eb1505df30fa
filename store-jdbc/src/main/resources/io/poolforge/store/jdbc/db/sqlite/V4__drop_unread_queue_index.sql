-- No query reads tasks_queue: the coordinator keeps the queue's priority order in memory and
-- reloads unfinished tasks by id (tasks_unfinished). On SQLite every index costs each group-committed
-- insert a b-tree insertion on the single writer's critical path, so the embedded store drops it.
-- (PostgreSQL keeps its copy for operators' ad-hoc queue queries.)
DROP INDEX IF EXISTS tasks_queue;
