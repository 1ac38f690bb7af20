// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm_smoke: does KVM work on this machine right now?
 *   kvm_smoke run           create a VM, run a real-mode guest that writes a
 *                           byte to port 0x10 and halts; exit 0 if it did
 *   kvm_smoke create        create a VM only; exit 0, or 3 if EBUSY
 *   kvm_smoke hold FILE     create a VM, touch FILE, keep the VM until FILE
 *                           is removed (at most 120 s)
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

static int create_vm(int *kvm_out)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	int vm;

	if (kvm < 0) {
		fprintf(stderr, "kvm_smoke: /dev/kvm: %s\n", strerror(errno));
		return -1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		fprintf(stderr, "kvm_smoke: KVM_CREATE_VM: %s\n", strerror(errno));
		close(kvm);
		return -1;
	}
	*kvm_out = kvm;
	return vm;
}

static int run_guest(void)
{
	/* mov $0x2a,%al; out %al,$0x10; hlt */
	static const unsigned char code[] = { 0xb0, 0x2a, 0xe6, 0x10, 0xf4 };
	struct kvm_userspace_memory_region region = { 0 };
	struct kvm_sregs sregs;
	struct kvm_regs regs = { 0 };
	struct kvm_run *run;
	int kvm, vm, vcpu, saw_io = 0;
	void *mem;

	vm = create_vm(&kvm);
	if (vm < 0)
		return 1;
	mem = mmap(NULL, 0x1000, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	memcpy(mem, code, sizeof(code));
	region.guest_phys_addr = 0x1000;
	region.memory_size = 0x1000;
	region.userspace_addr = (unsigned long)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		perror("kvm_smoke: KVM_SET_USER_MEMORY_REGION");
		return 1;
	}
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0) {
		perror("kvm_smoke: KVM_CREATE_VCPU");
		return 1;
	}
	run = mmap(NULL, (size_t)ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0),
		   PROT_READ | PROT_WRITE, MAP_SHARED, vcpu, 0);
	ioctl(vcpu, KVM_GET_SREGS, &sregs);
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	ioctl(vcpu, KVM_SET_SREGS, &sregs);
	regs.rip = 0x1000;
	regs.rflags = 2;
	ioctl(vcpu, KVM_SET_REGS, &regs);
	for (int i = 0; i < 10; i++) {
		if (ioctl(vcpu, KVM_RUN, 0) < 0) {
			perror("kvm_smoke: KVM_RUN");
			return 1;
		}
		if (run->exit_reason == KVM_EXIT_IO && run->io.port == 0x10 &&
		    *((unsigned char *)run + run->io.data_offset) == 0x2a) {
			saw_io = 1;
		} else if (run->exit_reason == KVM_EXIT_HLT) {
			printf("kvm_smoke: guest ran (io %s, then hlt)\n", saw_io ? "seen" : "missing");
			return saw_io ? 0 : 1;
		} else {
			fprintf(stderr, "kvm_smoke: unexpected exit %u\n", run->exit_reason);
			return 1;
		}
	}
	fprintf(stderr, "kvm_smoke: guest did not halt\n");
	return 1;
}

int main(int argc, char **argv)
{
	int kvm, vm;

	if (argc == 2 && !strcmp(argv[1], "run"))
		return run_guest();
	if (argc == 2 && !strcmp(argv[1], "create")) {
		vm = create_vm(&kvm);
		if (vm >= 0) {
			printf("kvm_smoke: VM created\n");
			return 0;
		}
		return errno == EBUSY ? 3 : 1;
	}
	if (argc == 3 && !strcmp(argv[1], "hold")) {
		int fd;

		vm = create_vm(&kvm);
		if (vm < 0)
			return 1;
		fd = open(argv[2], O_CREAT | O_WRONLY, 0644);
		if (fd >= 0)
			close(fd);
		for (int i = 0; i < 1200 && access(argv[2], F_OK) == 0; i++)
			usleep(100000);
		return 0;
	}
	fprintf(stderr, "usage: kvm_smoke run | create | hold FILE\n");
	return 2;
}
