// Command wineprng writes bcryptprimitives.dll for Wine 8 (Debian bookworm's).
// Go's Windows runtime (1.24 and later) refuses to start without
// bcryptprimitives.dll!ProcessPrng, which Wine gained only in 9.x. The DLL
// written here has no code: its one export, ProcessPrng, is a forwarder to
// advapi32!SystemFunction036 (RtlGenRandom), which Wine 8 has and whose
// arguments and result fit the way Go calls ProcessPrng (buffer, length;
// a non-zero low byte on success).
//
// Usage: go run ./.ci/wineprng PATH (PATH is the prefix's
// drive_c/windows/system32/bcryptprimitives.dll).
package main

import (
	"bytes"
	"debug/pe"
	"encoding/binary"
	"fmt"
	"os"
)

const (
	fileAlign = 0x200
	sectAlign = 0x1000
	rva       = sectAlign // the one section's address
	dirSize   = 40        // IMAGE_EXPORT_DIRECTORY
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: wineprng PATH")
		os.Exit(2)
	}
	if err := os.WriteFile(os.Args[1], image(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "wineprng:", err)
		os.Exit(1)
	}
}

// image is the whole DLL: headers in the first file block, the export
// directory and its strings in one read-only section.
func image() []byte {
	le := binary.LittleEndian
	// Export section: directory, the three one-entry tables, strings.
	eat, enpt, ords := rva+dirSize, rva+dirSize+4, rva+dirSize+8
	strs := []string{"bcryptprimitives.dll", "ProcessPrng", "advapi32.SystemFunction036"}
	at := make([]uint32, len(strs))
	next := uint32(ords + 2)
	for i, s := range strs {
		at[i] = next
		next += uint32(len(s) + 1)
	}
	var sec bytes.Buffer
	for _, v := range []uint32{0, 0, 0, at[0], 1, 1, 1, uint32(eat), uint32(enpt), uint32(ords)} {
		binary.Write(&sec, le, v) // Characteristics, TimeDateStamp, Major|MinorVersion, Name, Base, counts, tables
	}
	// The function's RVA points inside the export directory's range: the
	// loader reads it as a forwarder string, not code.
	binary.Write(&sec, le, at[2])
	binary.Write(&sec, le, at[1])
	binary.Write(&sec, le, uint16(0))
	for _, s := range strs {
		sec.WriteString(s)
		sec.WriteByte(0)
	}
	exportSize := uint32(sec.Len())
	raw := align(exportSize, fileAlign)

	var out bytes.Buffer
	dos := make([]byte, 0x40)
	copy(dos, "MZ")
	le.PutUint32(dos[0x3c:], 0x40)
	out.Write(dos)
	out.WriteString("PE\x00\x00")
	binary.Write(&out, le, pe.FileHeader{
		Machine: pe.IMAGE_FILE_MACHINE_AMD64, NumberOfSections: 1,
		SizeOfOptionalHeader: uint16(binary.Size(pe.OptionalHeader64{})),
		Characteristics:      pe.IMAGE_FILE_EXECUTABLE_IMAGE | pe.IMAGE_FILE_LARGE_ADDRESS_AWARE | pe.IMAGE_FILE_DLL,
	})
	opt := pe.OptionalHeader64{
		Magic: 0x20b, MajorLinkerVersion: 1, SizeOfInitializedData: raw, BaseOfCode: rva,
		ImageBase: 0x180000000, SectionAlignment: sectAlign, FileAlignment: fileAlign,
		MajorOperatingSystemVersion: 6, MajorSubsystemVersion: 6,
		SizeOfImage: rva + align(exportSize, sectAlign), SizeOfHeaders: fileAlign,
		Subsystem: pe.IMAGE_SUBSYSTEM_WINDOWS_CUI, SizeOfStackReserve: 1 << 20, SizeOfStackCommit: 1 << 12,
		SizeOfHeapReserve: 1 << 20, SizeOfHeapCommit: 1 << 12, NumberOfRvaAndSizes: 16,
	}
	opt.DataDirectory[pe.IMAGE_DIRECTORY_ENTRY_EXPORT] = pe.DataDirectory{VirtualAddress: rva, Size: exportSize}
	binary.Write(&out, le, opt)
	binary.Write(&out, le, pe.SectionHeader32{
		Name: [8]uint8{'.', 'e', 'd', 'a', 't', 'a'}, VirtualSize: exportSize, VirtualAddress: rva,
		SizeOfRawData: raw, PointerToRawData: fileAlign,
		Characteristics: pe.IMAGE_SCN_CNT_INITIALIZED_DATA | pe.IMAGE_SCN_MEM_READ,
	})
	out.Write(make([]byte, fileAlign-out.Len()))
	out.Write(sec.Bytes())
	out.Write(make([]byte, int(raw)-sec.Len()))
	return out.Bytes()
}

func align(n, a uint32) uint32 { return (n + a - 1) / a * a }
