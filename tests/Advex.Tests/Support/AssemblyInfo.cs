// libtorch's state (threads, RNG) is global: tensor tests run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
