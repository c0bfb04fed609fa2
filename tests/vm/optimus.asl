/*
 * SPDX-License-Identifier: GPL-2.0
 *
 * optimus.asl - the ACPI an Optimus laptop's firmware gives its dGPU,
 * modelled for the test guest (tests/vm/prepare.d/05-optimus compiles it
 * with iasl and passes it with -acpitable, before every other table).
 *
 * The rig runs QEMU 7.2's q35 with ACPI PCI hotplug off, as a laptop has
 * it: the root port 00:01.0 (\_SB.PCI0.S08) is in QEMU's DSDT, the
 * functions behind it are not, so this table gives them device objects,
 * as a laptop's DSDT does (\_SB.PCI0.PEG0.PEGP there):
 *  - S00, the dGPU (01:00.0): _PR0 and _PR3 list the power resource PGPR
 *    (the dGPU's power rail), _PS0/_PS3, and the NVIDIA Optimus _DSM
 *    (GUID a486d8f8-..., function 0x1A: power control) laptops carry;
 *    _ROM comes from gpuhelper's own SSDTs (prepare.d/10-vbios), which
 *    extend this object;
 *  - S01, its HDMI audio (01:00.1): an address only.
 * PGPR's _ON and _OFF count their calls in NON and NOFF, GPON is the
 * rail's state; tests/guest/pm_test.c reads them back through the power
 * resource's state in sysfs.
 */
DefinitionBlock ("", "SSDT", 2, "GPUHLP", "OPTIMUS", 0x00000001)
{
    External (\_SB.PCI0.S08, DeviceObj)

    Scope (\_SB.PCI0.S08)
    {
        Name (GPON, One)
        Name (NOFF, Zero)
        Name (NON, Zero)
        PowerResource (PGPR, 0, 0)
        {
            Method (_STA, 0, NotSerialized)
            {
                Return (GPON)
            }

            Method (_ON, 0, NotSerialized)
            {
                GPON = One
                NON++
            }

            Method (_OFF, 0, NotSerialized)
            {
                GPON = Zero
                NOFF++
            }
        }

        Device (S00)
        {
            Name (_ADR, Zero)
            Name (_PR0, Package (0x01) { PGPR })
            Name (_PR3, Package (0x01) { PGPR })
            Name (PSTA, Zero)
            Method (_PS0, 0, NotSerialized)
            {
                PSTA = Zero
            }

            Method (_PS3, 0, NotSerialized)
            {
                PSTA = 0x03
            }

            Method (_DSM, 4, Serialized)
            {
                If ((Arg0 == ToUUID ("a486d8f8-0bda-471b-a72b-6042a6b5bee0")))
                {
                    If ((Arg2 == Zero))
                    {
                        Return (Buffer (0x04) { 0x01, 0x00, 0x00, 0x04 })
                    }

                    If ((Arg2 == 0x1A))
                    {
                        Return (Buffer (0x04) { 0x01, 0x00, 0x00, 0x01 })
                    }
                }

                Return (Buffer (One) { 0x00 })
            }
        }

        Device (S01)
        {
            Name (_ADR, One)
        }
    }
}
